package io.headroom.agent.driver.braiins;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.cgminer.JsonPath;
import io.headroom.config.Doc;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code match:} rule of a {@code braiins} profile: the text at {@code path} of one read's reply matches
 * {@code pattern} (a find).
 *
 * @param read the reply checked: {@code details} ({@code GET /api/v1/miner/details}) or {@code version}
 *     ({@code GET /api/v1/version/})
 * @param path JSON path in that reply, e.g. {@code bos_version.current}
 * @param pattern regular expression the value must contain
 */
public record BraiinsMatch(
        @Doc("Reply that identifies the firmware: details (miner/details) or version (version/).")
        String read,

        @Doc("JSON path in that reply, e.g. bos_version.current.")
        String path,

        @Doc("Regular expression the value there must contain.")
        String pattern) {

    /** The reads a rule may ask, to their endpoint. */
    static final Map<String, String> READS = Map.of("details", "miner/details", "version", "version/");

    public BraiinsMatch {
        if (!READS.containsKey(read)) {
            throw new IllegalArgumentException("read: '" + read + "' is not one of " + READS.keySet());
        }
        JsonPath.parse(path);
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern: not a regular expression: " + e.getDescription(), e);
        }
    }

    /** The endpoint of the read. */
    String endpoint() {
        return READS.get(read);
    }

    /** True when the reply's value at {@code path} matches. */
    boolean matches(JsonNode reply) {
        JsonNode node = BraiinsReadings.at(reply, path);
        return node != null
                && node.isValueNode()
                && !node.isNull()
                && Pattern.compile(pattern).matcher(node.asText()).find();
    }
}
