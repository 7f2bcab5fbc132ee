package io.headroom.controller.grid;

/**
 * Told of every change worth journaling: a create, an update, a cancel and each state change
 * (reached, failed, restoring, completed), not of every compliance sample. Called under the book's
 * lock, in the order of the changes: keep it quick and do not call back into the book.
 */
@FunctionalInterface
public interface GridEventListener {
    /** A listener that ignores everything. */
    GridEventListener NONE = record -> {};

    /** {@code record} is the event's state after the change. */
    void changed(GridEventRecord record);
}
