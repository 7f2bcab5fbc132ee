package io.headroom.controller.grid.signal;

/**
 * Told about each accepted grid signal, with its status at the moment it was accepted (never stale
 * then). Staleness is not pushed: whoever acts on the signal asks
 * {@link GridSignalState#status} on its own clock, so that a signal that stops arriving is noticed
 * without any message.
 *
 * <p>Called on a transport I/O thread; must not block. An exception is counted and logged, and
 * does not undo the acceptance.
 */
@FunctionalInterface
public interface GridSignalListener {

    void signal(SignalStatus status);

    /** A listener that does nothing. */
    static GridSignalListener none() {
        return status -> {};
    }
}
