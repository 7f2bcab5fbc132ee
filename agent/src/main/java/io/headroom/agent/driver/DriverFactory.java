package io.headroom.agent.driver;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.profile.FirmwareProfile;

/**
 * Builds drivers of one protocol family. Registered explicitly in a {@link DriverRegistry}; a
 * firmware profile names its factory by {@link #name()}.
 */
public interface DriverFactory {

    /** The name profiles use in their {@code driver:} key, e.g. {@code cgminer}. */
    String name();

    /**
     * Builds the driver for one device. Opens nothing yet: connections are made by the first poll.
     *
     * @throws IllegalArgumentException when the profile asks for something this family cannot do
     */
    Driver create(DeviceConfig device, FirmwareProfile profile);
}
