package io.headroom.agent.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Telemetry batching and buffering.
 *
 * @param batchInterval how often pending samples are sent as one Data message
 * @param fullRefreshInterval how often every metric and device status is sent even if unchanged
 * @param maxUnacked Data/Result messages kept until the controller acks them; beyond this the
 *     oldest telemetry is dropped and counted (the durable outbox is a later issue)
 */
public record PublishSettings(Duration batchInterval, Duration fullRefreshInterval, int maxUnacked) {

    public PublishSettings {
        Objects.requireNonNull(batchInterval, "batch-interval");
        Objects.requireNonNull(fullRefreshInterval, "full-refresh-interval");
        if (maxUnacked < 1) {
            throw new IllegalArgumentException("max-unacked: must be at least 1");
        }
    }
}
