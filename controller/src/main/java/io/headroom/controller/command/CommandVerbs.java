package io.headroom.controller.command;

import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.Verb;
import java.util.List;

/**
 * The API's names for {@link Verb} ({@code sleep}, {@code set-power-target}, {@code outlet-off}, …)
 * and what each verb needs besides a device: a value, an instance, or neither.
 */
public final class CommandVerbs {

    /** Every verb with an API name, in wire-number order. */
    public static final List<Verb> ALL =
            Verbs.names().stream().map(n -> Verbs.parse(n).orElseThrow()).toList();

    /** The names of {@link #ALL}, comma-separated, for messages. */
    public static final String NAMES =
            String.join(", ", ALL.stream().map(CommandVerbs::name).toList());

    private CommandVerbs() {}

    /**
     * The API name of a verb.
     *
     * @throws IllegalArgumentException for UNSPECIFIED and UNRECOGNIZED
     */
    public static String name(Verb verb) {
        return Verbs.name(verb);
    }

    /**
     * The verb for an API name.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static Verb parse(String name) {
        return Verbs.parse(name)
                .orElseThrow(
                        () -> new IllegalArgumentException("unknown verb '" + name + "'; expected one of " + NAMES));
    }

    /** True if the verb carries a value: watts for the power verbs, the point's value for write-point. */
    public static boolean takesValue(Verb verb) {
        return Verbs.takesValue(verb);
    }

    /**
     * True if the verb always names an instance (the outlet, the point). Other verbs take one only
     * when the device's capability lists instances.
     */
    public static boolean needsInstance(Verb verb) {
        return Verbs.needsInstance(verb);
    }
}
