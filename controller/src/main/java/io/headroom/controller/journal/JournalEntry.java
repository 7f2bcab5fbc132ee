package io.headroom.controller.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A record to append: the journal adds its sequence number and time.
 *
 * @param type lowercase letters, digits and dashes, starting with a letter, at most 32 characters
 *     ({@code grid-event}, {@code intent}, {@code outcome}, {@code operator})
 * @param body any JSON value but a missing node
 */
public record JournalEntry(String type, JsonNode body) {
    static final int MAX_TYPE_LENGTH = 32;
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]{0," + (MAX_TYPE_LENGTH - 1) + "}");

    public JournalEntry {
        requireValidType(type);
        Objects.requireNonNull(body, "body");
        if (body.isMissingNode()) {
            throw new IllegalArgumentException("body: a missing node cannot be journaled");
        }
    }

    static String requireValidType(String type) {
        Objects.requireNonNull(type, "type");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("type: '" + type + "' is not 1 to " + MAX_TYPE_LENGTH
                    + " lowercase letters, digits and dashes starting with a letter");
        }
        return type;
    }
}
