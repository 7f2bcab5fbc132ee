package io.headroom.simulator.cgminer;

import java.util.function.Consumer;

/**
 * Runtime fault switches of one simulated miner's RPC endpoint, for exercising an agent's error handling.
 * All off by default; any thread may flip them at any time. Precedence: refuse, hang, garbage, quirks.
 *
 * <ul>
 *   <li>{@code refuse}: the listener is closed, so connects are refused; clearing it listens again on the
 *       same port. {@link #setRefuse(boolean)} returns once the change is in effect.</li>
 *   <li>{@code hang}: connections are accepted and requests read, but never answered (until the client
 *       gives up).</li>
 *   <li>{@code garbage}: each request is answered with random non-JSON bytes, then the connection closes.</li>
 *   <li>{@code quirks}: replies carry real firmware quirks (reference/DEVICES.md §4.1): a {@code ,} before
 *       every closing brace, no comma between objects in an array ({@code }{}), and a trailing NUL byte.</li>
 * </ul>
 */
public final class Faults {
    private volatile boolean hang;
    private volatile boolean garbage;
    private volatile boolean quirks;
    private boolean refuse;
    private Consumer<Boolean> refuseHandler;

    public boolean hang() {
        return hang;
    }

    public void setHang(boolean hang) {
        this.hang = hang;
    }

    public boolean garbage() {
        return garbage;
    }

    public void setGarbage(boolean garbage) {
        this.garbage = garbage;
    }

    public boolean quirks() {
        return quirks;
    }

    public void setQuirks(boolean quirks) {
        this.quirks = quirks;
    }

    public synchronized boolean refuse() {
        return refuse;
    }

    /**
     * Closes ({@code true}) or reopens ({@code false}) the listener; returns when done.
     *
     * @throws java.io.UncheckedIOException when the port cannot be bound again
     */
    public synchronized void setRefuse(boolean refuse) {
        if (this.refuse == refuse) {
            return;
        }
        if (refuseHandler != null) {
            refuseHandler.accept(refuse);
        }
        this.refuse = refuse;
    }

    /** Turns every fault off. */
    public void clear() {
        setRefuse(false);
        hang = false;
        garbage = false;
        quirks = false;
    }

    /** Connects the refuse switch to a listener and applies the current state. */
    synchronized void attach(Consumer<Boolean> handler) {
        refuseHandler = handler;
        if (refuse) {
            handler.accept(true);
        }
    }

    @Override
    public String toString() {
        return "Faults[refuse=" + refuse() + ", hang=" + hang + ", garbage=" + garbage + ", quirks=" + quirks + "]";
    }
}
