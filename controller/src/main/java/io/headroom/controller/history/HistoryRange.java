package io.headroom.controller.history;

import java.time.Duration;
import java.util.Optional;

/**
 * The spans the history keeps, each a ring of fixed buckets: what {@code range=} of
 * {@code GET /api/v1/devices/{id}/history} names.
 */
public enum HistoryRange {
    /** The last hour in 10 s buckets: 360 points. */
    HOUR("1h", Duration.ofSeconds(10), 360),
    /**
     * The last day in 5 min buckets: 288 points, about one per two pixels of a day-wide chart; 1 min
     * buckets would cost 5 times the memory for points no chart can show apart (D41).
     */
    DAY("1d", Duration.ofMinutes(5), 288);

    private final String spelling;
    private final long resolutionMillis;
    private final int buckets;

    HistoryRange(String spelling, Duration resolution, int buckets) {
        this.spelling = spelling;
        this.resolutionMillis = resolution.toMillis();
        this.buckets = buckets;
    }

    /** As the API spells it: {@code 1h}, {@code 1d}. */
    public String spelling() {
        return spelling;
    }

    /** Width of one bucket in ms. */
    public long resolutionMillis() {
        return resolutionMillis;
    }

    /** Buckets in the ring. */
    public int buckets() {
        return buckets;
    }

    /** The range spelled {@code text}, or empty. */
    public static Optional<HistoryRange> parse(String text) {
        for (HistoryRange range : values()) {
            if (range.spelling.equals(text)) {
                return Optional.of(range);
            }
        }
        return Optional.empty();
    }

    /** {@code 1h, 1d}: for error messages. */
    public static String spellings() {
        StringBuilder text = new StringBuilder();
        for (HistoryRange range : values()) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(range.spelling);
        }
        return text.toString();
    }
}
