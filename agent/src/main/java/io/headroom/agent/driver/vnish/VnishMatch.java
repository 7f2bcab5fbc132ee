package io.headroom.agent.driver.vnish;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.cgminer.JsonPath;
import io.headroom.config.Doc;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code match:} rule of a {@code vnish} profile: the text at {@code path} of one read's reply matches
 * {@code pattern} (a find).
 *
 * @param read the reply checked: {@code info} ({@code GET /api/v1/info}) or {@code summary}
 *     ({@code GET /api/v1/summary})
 * @param path JSON path in that reply, e.g. {@code fw_name}
 * @param pattern regular expression the value must contain
 */
public record VnishMatch(
        @Doc("Reply that identifies the firmware: info (GET /api/v1/info) or summary (GET /api/v1/summary).")
        String read,

        @Doc("JSON path in that reply, e.g. fw_name.") String path,

        @Doc("Regular expression the value there must contain.")
        String pattern) {

    /** The reads a rule may ask, to their endpoint. */
    static final Map<String, String> READS = Map.of("info", "info", "summary", "summary");

    public VnishMatch {
        if (!READS.containsKey(read)) {
            throw new IllegalArgumentException("read: '" + read + "' is not one of [info, summary]");
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
        JsonNode node = VnishReadings.at(reply, path);
        return node != null
                && node.isValueNode()
                && !node.isNull()
                && Pattern.compile(pattern).matcher(node.asText()).find();
    }
}
