package io.headroom.agent.profile;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a device's own reply identifies this firmware: the text at {@code path} in the reply to
 * {@code command} matches {@code pattern} (a find, not a full match).
 *
 * @param command the read command whose reply is checked, e.g. {@code version}
 * @param path JSON path in that reply, e.g. {@code VERSION[0].LUXminer}
 * @param pattern regular expression the value must contain
 */
public record Identify(String command, String path, Pattern pattern) {
    public Identify {
        Objects.requireNonNull(command, "command");
        JsonPath.requireValid(path, "path");
        Objects.requireNonNull(pattern, "pattern");
    }
}
