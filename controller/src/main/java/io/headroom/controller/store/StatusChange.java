package io.headroom.controller.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a device's status timeline: from {@code at} on it was {@code status} for
 * {@code reason}, as the agent or the controller said.
 *
 * @param at when the status or its reason changed (controller clock)
 * @param status the status from then on
 * @param reason machine-readable reason, e.g. {@code timeout}; may be empty
 * @param message the human-readable detail at that moment; may be empty
 */
public record StatusChange(Instant at, DeviceState status, String reason, String message) {
    public StatusChange {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
