package io.headroom.agent.driver.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.config.Doc;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Text at a field path that must match a regular expression (a find): which rows of a table to keep
 * ({@code where:}), or a {@code match:} test.
 *
 * @param path field path, e.g. {@code ReadingType}
 * @param pattern regular expression, e.g. {@code ^Temperature$}
 */
public record RedfishCondition(
        @Doc("Field path, e.g. ReadingType.") String path,

        @Doc("Regular expression the text there must contain, e.g. ^Temperature$.")
        String pattern) {

    public RedfishCondition {
        Objects.requireNonNull(path, "path");
        RedfishPaths.requireField(path, "path");
        Objects.requireNonNull(pattern, "pattern");
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern: not a regular expression: " + e.getDescription(), e);
        }
    }

    /** True if the value at the path is a scalar whose text contains the pattern. */
    boolean holds(JsonNode root) {
        JsonNode value = RedfishPaths.at(root, path);
        return value != null
                && value.isValueNode()
                && !value.isNull()
                && Pattern.compile(pattern).matcher(value.asText()).find();
    }
}
