package io.headroom.controller.market;

/**
 * Why a price published over MQTT was dropped: the {@code reason} tag of
 * {@code headroom.market.mqtt.dropped}. A dropped price never changes the input's last good point.
 */
public enum PriceDropReason {
    /** Larger than the input's {@code max-payload}. */
    TOO_LARGE("too-large", true),
    /** Not UTF-8, not JSON, not one JSON object, a duplicate key, or something after the object. */
    MALFORMED("malformed", true),
    /** {@code time} or {@code value} missing. */
    MISSING_KEY("missing-key", true),
    /** A key other than {@code time}, {@code value} and {@code unit}. */
    UNKNOWN_KEY("unknown-key", true),
    /** A value of the wrong JSON type (a price in quotes, a time that is an object). */
    WRONG_TYPE("wrong-type", true),
    /** A time that is neither ISO-8601 with an offset nor epoch seconds. */
    BAD_TIME("bad-time", true),
    /** A {@code unit} other than the input's. */
    WRONG_UNIT("wrong-unit", true),
    /** A value that is not finite or outside the input's {@code min-value}..{@code max-value}. */
    OUT_OF_RANGE("out-of-range", true),
    /** Dated further past the controller's clock than the input's {@code max-ahead}. */
    FUTURE("future", false),
    /** Dated before the input's latest point (its same time is a revision, and taken). */
    OUT_OF_ORDER("out-of-order", false),
    /** More than the input's {@code max-per-minute}. */
    FLOOD("flood", false);

    private final String tag;
    private final boolean payload;

    PriceDropReason(String tag, boolean payload) {
        this.tag = tag;
        this.payload = payload;
    }

    /** The metric tag and log key. */
    public String tag() {
        return tag;
    }

    /**
     * Whether the payload itself is wrong (answered, at QoS 1, with PUBACK 0x99 Payload format
     * invalid), rather than a good price refused now (0x83 Implementation specific error).
     */
    public boolean payload() {
        return payload;
    }
}
