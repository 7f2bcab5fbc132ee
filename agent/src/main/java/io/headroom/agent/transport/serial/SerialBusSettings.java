package io.headroom.agent.transport.serial;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SerialBus} waits for its lock and retries a port that could not be opened.
 *
 * @param lockWait the longest a transaction waits for the one before it; past it the caller gets
 *     {@link SerialBusException.Reason#BUSY} instead of queueing behind a stuck transaction
 * @param reopenMin the wait before retrying a port that failed to open, doubled after each failure
 * @param reopenMax the cap of that wait: a re-plugged USB adapter is found again within it
 */
public record SerialBusSettings(Duration lockWait, Duration reopenMin, Duration reopenMax) {

    /** 5 s lock wait; reopen after 0.5 s, 1 s, 2 s, … up to 30 s. */
    public static final SerialBusSettings DEFAULTS =
            new SerialBusSettings(Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(30));

    public SerialBusSettings {
        requirePositive(lockWait, "lockWait");
        requirePositive(reopenMin, "reopenMin");
        requirePositive(reopenMax, "reopenMax");
        if (reopenMax.compareTo(reopenMin) < 0) {
            throw new IllegalArgumentException(
                    "reopenMax: must not be less than reopenMin (" + reopenMin + "), got " + reopenMax);
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": must be positive, got " + value);
        }
    }
}
