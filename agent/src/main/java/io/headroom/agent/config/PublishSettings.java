package io.headroom.agent.config;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.time.Duration;

/**
 * How readings are batched and re-sent.
 *
 * @param batchInterval how often pending readings are sent as one message
 * @param fullRefreshInterval every metric is re-sent at least this often
 * @param maxUnacked messages kept until the controller acks them
 */
@Doc("How readings are batched and re-sent.")
public record PublishSettings(
        @Doc("How often pending readings are sent as one message.") @Default("1s") @Range(min = "10ms", max = "1h")
        Duration batchInterval,

        @Doc("Every metric is re-sent at least this often.") @Default("60s") @Range(min = "1s", max = "1d")
        Duration fullRefreshInterval,

        @Doc("Messages kept until the controller acknowledges them.") @Default("10000") @Range(min = "1")
        int maxUnacked) {

    public PublishSettings {
        if (batchInterval.compareTo(fullRefreshInterval) > 0) {
            throw new IllegalArgumentException("batch-interval: " + batchInterval
                    + " must not exceed full-refresh-interval " + fullRefreshInterval);
        }
    }

    /** Every default. */
    public static PublishSettings defaults() {
        return new PublishSettings(Duration.ofSeconds(1), Duration.ofSeconds(60), 10_000);
    }
}
