package io.headroom.agent.driver.cgminer;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one capability sends over the RPC ({@code points.controls.<verb>} of a cgminer profile).
 *
 * <p>{@code parameter} is a template: {@code {session}} is the write session's id, {@code {value}} the
 * command's value (an integer when whole, {@code 2800} not {@code 2800.0}), {@code {instance}} its
 * instance, {@code {now}} the agent clock's Unix time in seconds (Avalon's scheduled {@code softoff}) and
 * {@code {preset}} the name of the power preset chosen for the value ({@link PowerPresets}). Anything else
 * in braces is refused when the profile is loaded.
 *
 * @param command device command, e.g. {@code curtail}
 * @param parameter its parameter template, e.g. {@code {session},sleep}
 * @param replyOptional the firmware may close the connection without a reply (Avalon {@code softon}); the
 *     read-back then decides
 * @param acceptStatus {@code STATUS} texts besides S and I that mean success (Avalon {@code restart}
 *     answers {@code {"STATUS":"RESTART"}})
 * @param confirm an Avalon status key that must show a value afterwards (the {@code Led} of {@code locate-on})
 */
public record CgminerControl(
        @Doc("RPC command, e.g. curtail.") String command,

        @Doc("Parameter template: {session}, {value}, {instance}, {now} and {preset} are filled in.") @Default("")
        String parameter,

        @Doc("The firmware may close the connection without replying; the read-back decides.") @Default("false")
        boolean replyOptional,

        @Doc("STATUS texts besides S and I that mean success, e.g. RESTART.")
        List<String> acceptStatus,

        @Doc("An Avalon status key that must show a value afterwards, e.g. {key: Led, expect: \"1\"}.")
        Optional<StatusConfirm> confirm) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Set<String> KNOWN = Set.of("session", "value", "instance", "now", "preset");

    public CgminerControl {
        Matcher m = PLACEHOLDER.matcher(parameter);
        while (m.find()) {
            String name = m.group(1);
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("parameter: unknown placeholder {" + name
                        + "}; known: {session}, {value}, {instance}, {now}, {preset}");
            }
        }
        acceptStatus = List.copyOf(acceptStatus);
    }

    /** A control with just a command and a parameter template. */
    public static CgminerControl of(String command, String parameter) {
        return new CgminerControl(command, parameter, false, List.of(), Optional.empty());
    }

    /** True if the template uses {@code {session}}. */
    public boolean needsSession() {
        return parameter.contains("{session}");
    }

    /** True if the template uses {@code {value}}. */
    public boolean usesValue() {
        return parameter.contains("{value}");
    }

    /** True if the template uses {@code {preset}}. */
    public boolean usesPreset() {
        return parameter.contains("{preset}");
    }

    /** True if the template uses {@code {instance}}. */
    public boolean usesInstance() {
        return parameter.contains("{instance}");
    }

    /** The parameter with its placeholders filled in ({@code {now}} and {@code {preset}} left empty). */
    public String fill(String sessionId, double value, String instance) {
        return fill(sessionId, value, instance, 0, "");
    }

    /** The parameter with every placeholder filled in. */
    public String fill(String sessionId, double value, String instance, long nowEpochSecond, String preset) {
        String text = parameter;
        if (sessionId != null) {
            text = text.replace("{session}", sessionId);
        }
        String formatted = value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
        return text.replace("{value}", formatted)
                .replace("{instance}", instance == null ? "" : instance)
                .replace("{now}", Long.toString(nowEpochSecond))
                .replace("{preset}", preset);
    }
}
