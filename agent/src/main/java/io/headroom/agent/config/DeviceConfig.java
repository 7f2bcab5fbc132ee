package io.headroom.agent.config;

import io.headroom.protocol.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * One device to poll.
 *
 * @param id site-unique device id
 * @param profile firmware profile id, e.g. {@code luxor/luxos}
 * @param host address of the device
 * @param port TCP port of its API (4028 for the CGMiner family)
 * @param pollInterval time between the starts of two polls
 * @param timeout limit for one request to the device
 */
public record DeviceConfig(String id, String profile, String host, int port, Duration pollInterval, Duration timeout) {

    public DeviceConfig {
        Topics.requireValidId(id, "id");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " is outside 1..65535");
        }
        Objects.requireNonNull(pollInterval, "poll-interval");
        Objects.requireNonNull(timeout, "timeout");
    }
}
