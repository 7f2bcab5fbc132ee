package io.headroom.agent.driver;

import io.headroom.protocol.wire.ResultStatus;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a driver did with a command: APPLIED only when reading the device back confirms it.
 *
 * @param status APPLIED, FAILED or REJECTED (e.g. "unsupported" by this firmware)
 * @param reason machine-readable reason for FAILED/REJECTED; empty when APPLIED
 * @param message human-readable detail
 * @param readBack the value read back from the device after the command (a {@code Mode} code
 *     for sleep/wake, watts for a power target), when it could be read
 */
public record CommandOutcome(ResultStatus status, String reason, String message, OptionalDouble readBack) {
    public CommandOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(readBack, "readBack");
    }
}
