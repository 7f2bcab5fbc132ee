package io.headroom.agent.driver.whatsminer;

import io.headroom.agent.driver.cgminer.JsonPath;
import io.headroom.config.Doc;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code match:} rule of a whatsminer profile: the text at {@code path} of the reply to the read
 * {@code read} matches {@code pattern} (a find). Reads are named as the driver names them:
 * {@code get_version} (v2) or {@code get_device_info} (v3).
 *
 * @param read the read whose reply is checked
 * @param path JSON path in that reply, e.g. {@code Msg.api_ver}
 * @param pattern regular expression the value must contain
 */
public record WhatsminerMatch(
        @Doc("Read whose reply identifies the firmware: get_version (v2) or get_device_info (v3).")
        String read,

        @Doc("JSON path in that reply, e.g. Msg.api_ver.") String path,

        @Doc("Regular expression the value there must contain.")
        String pattern) {

    public WhatsminerMatch {
        JsonPath.parse(path);
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern: not a regular expression: " + e.getDescription(), e);
        }
    }

    /** True when the reply's value at {@code path} matches. */
    boolean matches(com.fasterxml.jackson.databind.JsonNode reply) {
        com.fasterxml.jackson.databind.JsonNode node = WhatsminerJson.at(reply, path);
        return node != null
                && node.isValueNode()
                && !node.isNull()
                && Pattern.compile(pattern).matcher(node.asText()).find();
    }
}
