package io.headroom.controller.grid;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a grid event stands. {@code pending → ramping → holding → restoring → completed}; a ramp
 * whose deadline passes before the meter shows the target becomes {@code failed} and keeps
 * curtailing until its end (failed is a compliance verdict, not a stop); {@code cancelled} at any
 * point before the event is over.
 */
public enum GridEventState {
    /** Before its start. */
    PENDING,
    /** Started; the metered site load has not yet been at or below the final target. */
    RAMPING,
    /** The metered site load reached the final target within the ramp deadline. */
    HOLDING,
    /** The window is over; the engine is restoring the devices it curtailed. */
    RESTORING,
    /** Over and restored, after reaching the target in time. */
    COMPLETED,
    /** Cancelled by an operator or its source; the engine restores. */
    CANCELLED,
    /** The ramp deadline passed before the metered load reached the target. Still curtails until its end. */
    FAILED;

    /** The spelling in JSON. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state spelled {@code text}, or empty. */
    public static Optional<GridEventState> parse(String text) {
        for (GridEventState state : values()) {
            if (state.wireName().equals(text)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
