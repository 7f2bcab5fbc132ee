package io.headroom.agent.config;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.time.Duration;

/**
 * Applied to every device that does not set its own value.
 *
 * @param pollInterval time between the starts of two polls of one device
 * @param timeout limit for one request to a device
 */
@Doc("Applied to every device that does not set its own value.")
public record DeviceDefaults(
        @Doc("Time between the starts of two polls of one device.") @Default("5s") @Range(min = "100ms", max = "1h")
        Duration pollInterval,

        @Doc("Limit for one request to a device; must not exceed poll-interval.")
        @Default("2s")
        @Range(min = "10ms", max = "10m")
        Duration timeout) {

    /** Every default. */
    public static DeviceDefaults defaults() {
        return new DeviceDefaults(Duration.ofSeconds(5), Duration.ofSeconds(2));
    }
}
