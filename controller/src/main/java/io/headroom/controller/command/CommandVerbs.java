package io.headroom.controller.command;

import io.headroom.protocol.wire.Verb;

/** The API's names for {@link Verb}: {@code sleep}, {@code wake}, {@code set-power-target}. */
public final class CommandVerbs {
    private CommandVerbs() {}

    public static String name(Verb verb) {
        switch (verb) {
            case VERB_SLEEP: return "sleep";
            case VERB_WAKE: return "wake";
            case VERB_SET_POWER_TARGET: return "set-power-target";
            default: throw new IllegalArgumentException("verb has no name: " + verb);
        }
    }

    /**
     * The verb for an API name.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static Verb parse(String name) {
        switch (String.valueOf(name)) {
            case "sleep": return Verb.VERB_SLEEP;
            case "wake": return Verb.VERB_WAKE;
            case "set-power-target": return Verb.VERB_SET_POWER_TARGET;
            default: throw new IllegalArgumentException(
                    "unknown verb '" + name + "'; expected one of sleep, wake, set-power-target");
        }
    }

    /** True if the verb carries a value (watts for set-power-target). */
    public static boolean takesValue(Verb verb) {
        return verb == Verb.VERB_SET_POWER_TARGET;
    }
}
