package io.headroom.agent.driver.antminer;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.cgminer.JsonPath;
import io.headroom.config.Doc;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code match:} rule of an {@code antminer-web} profile: the text at {@code path} of one CGI's reply
 * matches {@code pattern} (a find).
 *
 * @param cgi the CGI whose reply is checked: {@code stats}, {@code summary}, {@code get_miner_conf} or
 *     {@code get_system_info}
 * @param path JSON path in that reply, e.g. {@code INFO.type}
 * @param pattern regular expression the value must contain
 */
public record AntminerMatch(
        @Doc("CGI whose reply identifies the firmware: stats, summary, get_miner_conf or get_system_info.")
        String cgi,

        @Doc("JSON path in that reply, e.g. INFO.type.") String path,

        @Doc("Regular expression the value there must contain.")
        String pattern) {

    /** The CGIs a rule may ask. */
    static final Set<String> CGIS = Set.of("stats", "summary", "get_miner_conf", "get_system_info");

    public AntminerMatch {
        if (!CGIS.contains(cgi)) {
            throw new IllegalArgumentException("cgi: '" + cgi + "' is not one of " + CGIS);
        }
        JsonPath.parse(path);
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern: not a regular expression: " + e.getDescription(), e);
        }
    }

    /** True when the reply's value at {@code path} matches. */
    boolean matches(JsonNode reply) {
        JsonNode node = AntminerReadings.at(reply, path);
        return node != null
                && node.isValueNode()
                && !node.isNull()
                && Pattern.compile(pattern).matcher(node.asText()).find();
    }
}
