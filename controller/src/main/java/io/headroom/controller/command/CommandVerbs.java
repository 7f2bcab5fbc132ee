package io.headroom.controller.command;

import io.headroom.protocol.wire.Verb;
import java.util.List;

/**
 * The API's names for {@link Verb} ({@code sleep}, {@code set-power-target}, {@code outlet-off}, …)
 * and what each verb needs besides a device: a value, an instance, or neither.
 */
public final class CommandVerbs {

    /** Every verb with an API name, in wire-number order. */
    public static final List<Verb> ALL = List.of(Verb.VERB_SLEEP, Verb.VERB_WAKE, Verb.VERB_SET_POWER_TARGET,
            Verb.VERB_SET_POWER_CAP, Verb.VERB_OUTLET_ON, Verb.VERB_OUTLET_OFF, Verb.VERB_OUTLET_CYCLE,
            Verb.VERB_REBOOT, Verb.VERB_LOCATE_ON, Verb.VERB_LOCATE_OFF, Verb.VERB_WRITE_POINT);

    /** The names of {@link #ALL}, comma-separated, for messages. */
    public static final String NAMES = String.join(", ", ALL.stream().map(CommandVerbs::name).toList());

    private CommandVerbs() {}

    /**
     * The API name of a verb.
     *
     * @throws IllegalArgumentException for UNSPECIFIED and UNRECOGNIZED
     */
    public static String name(Verb verb) {
        switch (verb) {
            case VERB_SLEEP: return "sleep";
            case VERB_WAKE: return "wake";
            case VERB_SET_POWER_TARGET: return "set-power-target";
            case VERB_SET_POWER_CAP: return "set-power-cap";
            case VERB_OUTLET_ON: return "outlet-on";
            case VERB_OUTLET_OFF: return "outlet-off";
            case VERB_OUTLET_CYCLE: return "outlet-cycle";
            case VERB_REBOOT: return "reboot";
            case VERB_LOCATE_ON: return "locate-on";
            case VERB_LOCATE_OFF: return "locate-off";
            case VERB_WRITE_POINT: return "write-point";
            default: throw new IllegalArgumentException("verb has no name: " + verb);
        }
    }

    /**
     * The verb for an API name.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static Verb parse(String name) {
        for (Verb verb : ALL) {
            if (name(verb).equals(name)) {
                return verb;
            }
        }
        throw new IllegalArgumentException("unknown verb '" + name + "'; expected one of " + NAMES);
    }

    /** True if the verb carries a value: watts for the power verbs, the point's value for write-point. */
    public static boolean takesValue(Verb verb) {
        return verb == Verb.VERB_SET_POWER_TARGET || verb == Verb.VERB_SET_POWER_CAP || verb == Verb.VERB_WRITE_POINT;
    }

    /**
     * True if the verb always names an instance (the outlet, the point). Other verbs take one only
     * when the device's capability lists instances.
     */
    public static boolean needsInstance(Verb verb) {
        return verb == Verb.VERB_OUTLET_ON || verb == Verb.VERB_OUTLET_OFF || verb == Verb.VERB_OUTLET_CYCLE
                || verb == Verb.VERB_WRITE_POINT;
    }
}
