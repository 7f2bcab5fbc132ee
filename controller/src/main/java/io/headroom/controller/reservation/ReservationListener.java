package io.headroom.controller.reservation;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Told of every change worth journaling (a create, a state change, a cancel), not of every sample.
 * Called under the book's lock, in order: keep it quick and do not call back into the book.
 */
@FunctionalInterface
public interface ReservationListener {
    ReservationListener NONE = record -> {};

    /** {@code record} is the reservation's journal form after the change. */
    void changed(ObjectNode record);
}
