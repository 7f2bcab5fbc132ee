package io.headroom.controller.grid;

import java.time.Instant;
import java.util.Objects;

/**
 * The first action the engine took on a device for an event.
 *
 * @param deviceId the device
 * @param action what it did, e.g. {@code set-power-target 1800} or {@code sleep}
 * @param at when
 */
public record DeviceAction(String deviceId, String action, Instant at) {
    public DeviceAction {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(at, "at");
    }
}
