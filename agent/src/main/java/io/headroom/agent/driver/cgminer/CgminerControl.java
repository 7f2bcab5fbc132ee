package io.headroom.agent.driver.cgminer;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one capability sends over the RPC ({@code points.controls.<verb>} of a cgminer profile).
 *
 * <p>{@code parameter} is a template: {@code {session}} is the write session's id, {@code {value}} the
 * command's value (an integer when whole, {@code 2800} not {@code 2800.0}) and {@code {instance}} its
 * instance. Anything else in braces is refused when the profile is loaded.
 *
 * @param command device command, e.g. {@code curtail}
 * @param parameter its parameter template, e.g. {@code {session},sleep}
 */
public record CgminerControl(
        @Doc("RPC command, e.g. curtail.") String command,

        @Doc("Parameter template: {session}, {value} and {instance} are filled in.") @Default("")
        String parameter) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

    public CgminerControl {
        Matcher m = PLACEHOLDER.matcher(parameter);
        while (m.find()) {
            String name = m.group(1);
            if (!name.equals("session") && !name.equals("value") && !name.equals("instance")) {
                throw new IllegalArgumentException(
                        "parameter: unknown placeholder {" + name + "}; known: {session}, {value}, {instance}");
            }
        }
    }

    /** True if the template uses {@code {session}}. */
    public boolean needsSession() {
        return parameter.contains("{session}");
    }

    /** True if the template uses {@code {value}}. */
    public boolean usesValue() {
        return parameter.contains("{value}");
    }

    /** True if the template uses {@code {instance}}. */
    public boolean usesInstance() {
        return parameter.contains("{instance}");
    }

    /** The parameter with its placeholders filled in. */
    public String fill(String sessionId, double value, String instance) {
        String text = parameter;
        if (sessionId != null) {
            text = text.replace("{session}", sessionId);
        }
        String formatted = value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
        return text.replace("{value}", formatted).replace("{instance}", instance == null ? "" : instance);
    }
}
