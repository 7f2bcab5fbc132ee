package io.headroom.controller.reservation;

import java.util.Locale;

/** Where a reservation is in its life. */
public enum ReservationState {
    /** Accepted; its lead time has not begun. */
    SCHEDULED,
    /** Within its lead time (or past its start) and the capacity is not yet free. */
    FREEING,
    /** The capacity is free and held. */
    HOLDING,
    /** Past its start and the capacity is not free (or no longer): at risk. */
    SHORT,
    /** Ended; the devices curtailed for it are being restored, staggered. */
    RESTORING,
    /** Ended and everything it curtailed is restored. */
    COMPLETED,
    /** Cancelled by an operator before its end. */
    CANCELLED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** True while the engine holds capacity for it. */
    public boolean holds() {
        return this == FREEING || this == HOLDING || this == SHORT;
    }

    /** True once nothing more happens to it. */
    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED;
    }

    public static ReservationState parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
