package io.headroom.agent.driver.cgminer;

import io.headroom.config.Doc;

/**
 * A {@code match:} rule of a cgminer profile: the text at {@code path} in the reply to {@code command}
 * matches {@code pattern} (a find, not a full match).
 *
 * @param command the read command whose reply is checked, e.g. {@code version}
 * @param path JSON path in that reply, e.g. {@code VERSION[0].LUXminer}
 * @param pattern regular expression the value must contain
 */
public record CgminerMatch(
        @Doc("Read command whose reply identifies the firmware, e.g. version.")
        String command,

        @Doc("JSON path in that reply, e.g. VERSION[0].LUXminer.")
        String path,

        @Doc("Regular expression the value there must contain.")
        String pattern) {
    public CgminerMatch {
        JsonPath.requireValid(path, "path");
        try {
            java.util.regex.Pattern.compile(pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern: not a regular expression: " + e.getDescription(), e);
        }
    }

    /** The compiled pattern. */
    public java.util.regex.Pattern compiled() {
        return java.util.regex.Pattern.compile(pattern);
    }
}
