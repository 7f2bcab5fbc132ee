package io.headroom.agent.schedule;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.profiles.FirmwareProfile;
import java.util.Objects;

/**
 * A device handed to the {@link PollScheduler}: its config, its profile and the driver built for it.
 * The scheduler owns the driver from then on and closes it.
 */
public record ScheduledDevice(DeviceConfig config, FirmwareProfile profile, Driver driver) {
    public ScheduledDevice {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(driver, "driver");
        if (!config.profile().equals(profile.id())) {
            throw new IllegalArgumentException("profile: device " + config.id() + " is configured for "
                    + config.profile() + ", not " + profile.id());
        }
    }
}
