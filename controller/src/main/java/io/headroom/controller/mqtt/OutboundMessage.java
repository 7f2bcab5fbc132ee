package io.headroom.controller.mqtt;

/**
 * An application message on its way to subscribers: the controller's own, an agent's forwarded
 * to observers, or a Will. The payload array is shared by every recipient and never modified.
 */
final class OutboundMessage {
    private final String topic;
    private final byte[] payload;
    private final int qos;
    private final boolean expires;
    private final long expiresAtNanos;

    /**
     * @param expirySeconds MQTT 5 Message Expiry Interval; 0 for none
     * @param nowNanos the {@link System#nanoTime()} reading the expiry counts from
     */
    OutboundMessage(String topic, byte[] payload, int qos, long expirySeconds, long nowNanos) {
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
        this.expires = expirySeconds > 0;
        this.expiresAtNanos = expires ? nowNanos + expirySeconds * 1_000_000_000L : 0;
    }

    String topic() {
        return topic;
    }

    byte[] payload() {
        return payload;
    }

    /** The QoS it was published with; delivery uses the lower of this and the subscription's. */
    int qos() {
        return qos;
    }

    boolean expires() {
        return expires;
    }

    /** Whole seconds left, rounded up; 0 or less when expired. Meaningful only if {@link #expires()}. */
    long remainingSeconds(long nowNanos) {
        long remaining = expiresAtNanos - nowNanos;
        return remaining <= 0 ? 0 : (remaining + 999_999_999L) / 1_000_000_000L;
    }

    boolean expired(long nowNanos) {
        return expires && expiresAtNanos - nowNanos <= 0;
    }
}
