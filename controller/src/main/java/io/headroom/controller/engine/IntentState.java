package io.headroom.controller.engine;

import java.util.Locale;

/**
 * Where the engine's latest command to one device stands. PENDING (decided, not yet sent) →
 * DISPATCHED (sent) → ACKED (the agent accepted, or applied it) → CONFIRMED (telemetry shows the
 * expected power) or DRIFTED (telemetry does not, within the confirm timeout, or moved away later) /
 * FAILED (refused, rejected, failed or expired) → retried with backoff, then the device counts as
 * unresponsive.
 */
public enum IntentState {
    /** No command of the engine's is open for the device. */
    NONE,
    PENDING,
    DISPATCHED,
    ACKED,
    CONFIRMED,
    DRIFTED,
    FAILED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** True while the command may still take effect: its expected power counts against the limits. */
    public boolean inFlight() {
        return this == PENDING || this == DISPATCHED || this == ACKED;
    }

    public String wireName() {
        return wireName;
    }
}
