package io.headroom.controller.grid.signal;

/**
 * Why a grid signal was dropped: the {@code reason} tag of {@code headroom.grid.signal.dropped}.
 * A dropped signal never changes the last good one.
 */
public enum DropReason {
    /** Over {@link GridSignalPayload#MAX_BYTES}. */
    TOO_LARGE("too-large"),
    /** Not UTF-8, not JSON, not one JSON object, a duplicate key, or something after the object. */
    MALFORMED("malformed"),
    /** {@code target_percent} or {@code timestamp} missing. */
    MISSING_KEY("missing-key"),
    /** A key other than {@code target_percent}, {@code timestamp} and {@code id}. */
    UNKNOWN_KEY("unknown-key"),
    /** A value of the wrong JSON type (a percent in quotes, a numeric timestamp). */
    WRONG_TYPE("wrong-type"),
    /** A percent outside 0..100, or an id that is empty, too long or holds control characters. */
    OUT_OF_RANGE("out-of-range"),
    /** A timestamp that is not an ISO-8601 date-time with an offset ({@code 2026-12-01T14:00:00Z}). */
    BAD_TIMESTAMP("bad-timestamp"),
    /** A timestamp further ahead of the controller's clock than the tolerance. */
    FUTURE("future"),
    /** A timestamp already older than the maximum age: it would be stale on arrival. */
    EXPIRED("expired"),
    /** A timestamp before the last accepted signal's. */
    OLDER("older"),
    /** The last accepted signal's timestamp again (a redelivery, or a second signal for one instant). */
    DUPLICATE("duplicate");

    private final String tag;

    DropReason(String tag) {
        this.tag = tag;
    }

    /** The metric tag and log key. */
    public String tag() {
        return tag;
    }
}
