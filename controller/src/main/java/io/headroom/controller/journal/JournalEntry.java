package io.headroom.controller.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A record to append: the journal adds its sequence number and time.
 *
 * @param type lowercase letters, digits and dashes, starting with a letter, at most 32 characters
 *     ({@code grid-event}, {@code intent}, {@code outcome}, {@code operator})
 * @param body any JSON value but a missing node
 */
public record JournalEntry(String type, JsonNode body) {
    static final int MAX_TYPE_LENGTH = 32;

    public JournalEntry {
        requireValidType(type);
        Objects.requireNonNull(body, "body");
        if (body.isMissingNode()) {
            throw new IllegalArgumentException("body: a missing node cannot be journaled");
        }
    }

    static String requireValidType(String type) {
        Objects.requireNonNull(type, "type");
        if (!isValidType(type)) {
            throw new IllegalArgumentException("type: '" + type + "' is not 1 to " + MAX_TYPE_LENGTH
                    + " lowercase letters, digits and dashes starting with a letter");
        }
        return type;
    }

    /** {@code [a-z][a-z0-9-]{0,31}}, by hand: every replayed record is checked. */
    private static boolean isValidType(String type) {
        int length = type.length();
        if (length == 0 || length > MAX_TYPE_LENGTH || type.charAt(0) < 'a' || type.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = type.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
