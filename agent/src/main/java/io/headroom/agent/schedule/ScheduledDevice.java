package io.headroom.agent.schedule;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.rawreply.RawReplyRecorder;
import java.util.Objects;

/**
 * A device handed to the {@link PollScheduler}: its config, the driver built for it and the lane it
 * runs on. The scheduler owns the driver from then on and closes it.
 *
 * <p>The lane is chosen by the device's driver factory ({@code DriverFactory.lane}): devices that
 * share a transport able to carry only one request at a time (the slaves of one Modbus RTU bus on an
 * RS-485 port) share a lane key; a device with a transport of its own (a TCP connection) is its own
 * lane.
 *
 * @param lane the lane key; the devices with equal keys never have two requests in flight at once
 * @param replies told where each poll begins and ends, so that it keeps the raw replies of one poll
 */
public record ScheduledDevice(DeviceConfig config, Driver driver, String lane, RawReplyRecorder replies) {
    public ScheduledDevice {
        Objects.requireNonNull(replies, "replies");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(lane, "lane");
        if (lane.isBlank()) {
            throw new IllegalArgumentException("lane: device " + config.id() + " has a blank lane key");
        }
    }

    /** A device whose raw replies are not kept. */
    public ScheduledDevice(DeviceConfig config, Driver driver, String lane) {
        this(config, driver, lane, RawReplyRecorder.NONE);
    }

    /** A device on a lane of its own, keyed by its id. */
    public ScheduledDevice(DeviceConfig config, Driver driver) {
        this(
                config,
                driver,
                "device:" + Objects.requireNonNull(config, "config").id());
    }
}
