package io.headroom.controller.site;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.util.Optional;

/**
 * A device priority class. Four always exist: {@code hashing} (interruptible), {@code ai-flex} (capped
 * down to a floor, never off), {@code ai-contract} (must run) and {@code auxiliary} (never curtailed);
 * a site may declare more, or redeclare these with a description or another floor.
 *
 * <p>The engine sheds interruptible classes that may be curtailed any way first, then those that may
 * only be capped, and a must-run class only for a hard limit (breaker, thermal) once nothing else is
 * left. A class that is never curtailed is never touched, whatever the limit.
 *
 * @param interruptible whether the control engine may curtail it for a soft limit or a grid event;
 *     a class that is not is shed only when a hard limit leaves no other choice
 * @param curtail how it may be curtailed; empty: as the built-in class of that name, else {@link Curtail#ANY}
 * @param floorPercent for {@link Curtail#CAP}: the lowest power it is capped to, percent of nameplate
 * @param description for operators
 */
@Doc("A device priority class.")
public record PriorityClass(
        @Doc("Whether the engine may curtail these devices for soft limits and grid events.") @Default("true")
        boolean interruptible,

        @Doc("How the engine may curtail them: any (sleep, power target, outlet), cap (a lower power cap or"
                + " target only, down to floor-percent, never off) or never (cooling and other auxiliary load)."
                + " Default: the built-in class's (cap for ai-flex, never for auxiliary), else any.")
        Optional<Curtail> curtail,

        @Doc("With curtail: cap, the lowest power the engine caps them to, percent of nameplate.")
        @Default("50")
        @Range(min = "0", max = "100")
        double floorPercent,

        @Doc("What the class is for.") Optional<String> description) {

    /** The class every contracted AI load belongs to: must run. */
    public static final String AI_CONTRACT = "ai-contract";

    /** AI load that may be capped down to a floor (a slower training step), never switched off. */
    public static final String AI_FLEX = "ai-flex";

    /** The class of miners: interruptible. */
    public static final String HASHING = "hashing";

    /** Cooling and other auxiliary load: never curtailed by the engine. */
    public static final String AUXILIARY = "auxiliary";

    /** A class that may be curtailed any way, for anything. */
    public PriorityClass(boolean interruptible, Optional<String> description) {
        this(interruptible, Optional.of(Curtail.ANY), 50, description);
    }

    /** How the engine may curtail these devices. */
    public Curtail curtailing() {
        return curtail.orElse(Curtail.ANY);
    }

    /** This class as declared, with what it left out taken from the built-in class of the same name. */
    public PriorityClass over(PriorityClass builtIn) {
        return new PriorityClass(interruptible, curtail.or(builtIn::curtail), floorPercent, description);
    }

    /** The four built-in classes, as a site without a {@code classes} section has them. */
    public static java.util.Map<String, PriorityClass> builtIn() {
        java.util.Map<String, PriorityClass> classes = new java.util.LinkedHashMap<>();
        classes.put(AI_CONTRACT, new PriorityClass(false, Optional.of(Curtail.ANY), 50, Optional.of("must run")));
        classes.put(
                AI_FLEX,
                new PriorityClass(true, Optional.of(Curtail.CAP), 50, Optional.of("capped to a floor, never off")));
        classes.put(HASHING, new PriorityClass(true, Optional.of(Curtail.ANY), 50, Optional.of("interruptible")));
        classes.put(
                AUXILIARY, new PriorityClass(false, Optional.of(Curtail.NEVER), 50, Optional.of("never curtailed")));
        return classes;
    }
}
