package io.headroom.controller.market;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads a price's time: ISO-8601 with an offset or {@code Z}, or epoch seconds (decimals allowed). */
final class PriceTimes {
    /** Years 1970..9999 in seconds: a time outside is a unit mistake (milliseconds), not a date. */
    private static final long MAX_EPOCH_SECONDS = 253_402_300_799L;

    private PriceTimes() {}

    /**
     * The instant {@code text} names.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static Instant parse(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("time is empty");
        }
        if (trimmed.matches("[0-9]+(\\.[0-9]+)?")) {
            BigDecimal seconds = new BigDecimal(trimmed);
            if (seconds.compareTo(BigDecimal.valueOf(MAX_EPOCH_SECONDS)) > 0) {
                throw new IllegalArgumentException(
                        "time " + trimmed + " is too large for epoch seconds" + " (milliseconds?)");
            }
            long whole = seconds.longValue();
            long nanos = seconds.subtract(BigDecimal.valueOf(whole))
                    .movePointRight(9)
                    .longValue();
            return Instant.ofEpochSecond(whole, nanos);
        }
        try {
            return OffsetDateTime.parse(trimmed).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time '" + clip(trimmed) + "' is neither ISO-8601 with an offset"
                    + " (2026-12-01T10:00:00Z) nor epoch seconds");
        }
    }

    static String clip(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
