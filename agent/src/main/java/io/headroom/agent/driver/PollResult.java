package io.headroom.agent.driver;

import io.headroom.protocol.wire.DeviceHealth;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one poll: the readings that could be taken and the device's health. Partial
 * failures keep the good readings (health DEGRADED, with a reason).
 *
 * @param at when the poll finished (agent wall clock)
 * @param health ONLINE, DEGRADED or OFFLINE
 * @param reason short machine-readable reason when not ONLINE ("timeout", "connection-refused",
 *     "bad-response", …); empty when ONLINE
 * @param message human-readable detail; empty when ONLINE
 * @param identity model and firmware when the poll learned them, else {@code null}
 * @param readings readings in canonical units
 */
public record PollResult(
        Instant at,
        DeviceHealth health,
        String reason,
        String message,
        DeviceIdentity identity,
        List<Reading> readings) {

    public PollResult {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        readings = List.copyOf(readings);
    }

    public static PollResult offline(Instant at, String reason, String message) {
        return new PollResult(at, DeviceHealth.DEVICE_HEALTH_OFFLINE, reason, message, null, List.of());
    }
}
