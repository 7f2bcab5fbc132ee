package io.headroom.agent.config;

import io.headroom.config.ConfigNode;
import io.headroom.config.SecretRef;
import io.headroom.protocol.Topics;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One device to poll, checked: its common keys with defaults applied, and its driver block bound by
 * the driver's factory.
 *
 * @param id site-unique device id
 * @param profile firmware profile id, e.g. {@code luxor/luxos}, or {@value #AUTO}: the driver identifies the
 *     device's firmware among its profiles
 * @param driver the profile's driver, which is also the key of the device's block
 * @param pollInterval time between the starts of two polls
 * @param timeout limit for one request to the device
 * @param credentials where the device's own login is kept, for drivers that log in
 * @param settings the driver block, as the driver's settings record
 * @param origin where the device's entry is in {@code agent.yaml}, for messages
 */
public record DeviceConfig(
        String id,
        String profile,
        String driver,
        Duration pollInterval,
        Duration timeout,
        Optional<SecretRef> credentials,
        Record settings,
        ConfigNode.Origin origin) {

    /** The profile of a device whose driver identifies its firmware. */
    public static final String AUTO = "auto";

    public DeviceConfig {
        Topics.requireValidId(id, "id");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(pollInterval, "poll-interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(origin, "origin");
        // timeout ≤ poll-interval is a rule of agent.yaml, checked by the loader with the file's line.
    }

    /** True for {@code profile: auto}. */
    public boolean isAuto() {
        return AUTO.equals(profile);
    }
}
