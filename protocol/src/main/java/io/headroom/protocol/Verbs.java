package io.headroom.protocol;

import io.headroom.protocol.wire.Verb;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one spelling of each {@link Verb} used by profiles, the HTTP API and the CLI
 * ({@code sleep}, {@code set-power-target}, {@code outlet-off} …), and what each verb takes: every
 * verb but {@code read-last-reply} (which only reads) is an absolute set-point, some carry a value,
 * some name an instance (an outlet, a point).
 */
public final class Verbs {

    private static final Map<Verb, String> NAMES = new EnumMap<>(Verb.class);
    private static final Map<String, Verb> BY_NAME = new LinkedHashMap<>();

    static {
        add(Verb.VERB_SLEEP, "sleep");
        add(Verb.VERB_WAKE, "wake");
        add(Verb.VERB_SET_POWER_TARGET, "set-power-target");
        add(Verb.VERB_SET_POWER_CAP, "set-power-cap");
        add(Verb.VERB_OUTLET_ON, "outlet-on");
        add(Verb.VERB_OUTLET_OFF, "outlet-off");
        add(Verb.VERB_OUTLET_CYCLE, "outlet-cycle");
        add(Verb.VERB_REBOOT, "reboot");
        add(Verb.VERB_LOCATE_ON, "locate-on");
        add(Verb.VERB_LOCATE_OFF, "locate-off");
        add(Verb.VERB_WRITE_POINT, "write-point");
        add(Verb.VERB_READ_LAST_REPLY, "read-last-reply");
    }

    private Verbs() {}

    private static void add(Verb verb, String name) {
        NAMES.put(verb, name);
        BY_NAME.put(name, verb);
    }

    /**
     * The spelling of a verb.
     *
     * @throws IllegalArgumentException for {@code VERB_UNSPECIFIED} and unrecognised values
     */
    public static String name(Verb verb) {
        String name = NAMES.get(verb);
        if (name == null) {
            throw new IllegalArgumentException("verb has no name: " + verb);
        }
        return name;
    }

    /** The verb of a spelling, if it is one. */
    public static Optional<Verb> parse(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Every spelling, in wire order. */
    public static List<String> names() {
        return Collections.unmodifiableList(List.copyOf(BY_NAME.keySet()));
    }

    /**
     * True if a verb only reads: it changes nothing on the device, so it needs no capability, takes
     * no version slot, no read-back and no hold, and the control engine never sends it.
     */
    public static boolean readsOnly(Verb verb) {
        return verb == Verb.VERB_READ_LAST_REPLY;
    }

    /** True if a command of this verb carries a value: watts for the power verbs, the point's value. */
    public static boolean takesValue(Verb verb) {
        return verb == Verb.VERB_SET_POWER_TARGET || verb == Verb.VERB_SET_POWER_CAP || verb == Verb.VERB_WRITE_POINT;
    }

    /** True if a command of this verb must name an instance: the outlet, or the point to write. */
    public static boolean needsInstance(Verb verb) {
        return verb == Verb.VERB_OUTLET_ON
                || verb == Verb.VERB_OUTLET_OFF
                || verb == Verb.VERB_OUTLET_CYCLE
                || verb == Verb.VERB_WRITE_POINT;
    }
}
