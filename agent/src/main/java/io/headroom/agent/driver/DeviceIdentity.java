package io.headroom.agent.driver;

import java.util.Objects;

/**
 * What a device says it is.
 *
 * @param model e.g. {@code Antminer S19 XP}
 * @param firmware e.g. {@code LUXminer 2025.4.8.220305-57b389c7}
 */
public record DeviceIdentity(String model, String firmware) {
    public DeviceIdentity {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(firmware, "firmware");
    }
}
