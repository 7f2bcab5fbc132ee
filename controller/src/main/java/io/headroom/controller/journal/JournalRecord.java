package io.headroom.controller.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One record of the journal, as appended and as replayed.
 *
 * @param seq its sequence number: unique, growing in append order, across restarts and compactions
 * @param type what it is, e.g. {@code grid-event}, {@code intent}, {@code outcome}, {@code operator}
 * @param atMillis when it was appended, by the journal's clock (epoch milliseconds)
 * @param body what the owner wrote; the journal never looks inside. Treat it as read-only: it is the
 *     journal's own copy only after a replay, never after an append
 */
public record JournalRecord(long seq, String type, long atMillis, JsonNode body) {
    public JournalRecord {
        if (seq <= 0) {
            throw new IllegalArgumentException("seq: " + seq + " is not positive");
        }
        JournalEntry.requireValidType(type);
        Objects.requireNonNull(body, "body");
    }
}
