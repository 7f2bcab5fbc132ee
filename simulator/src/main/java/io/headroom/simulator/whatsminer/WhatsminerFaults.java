package io.headroom.simulator.whatsminer;

/**
 * Runtime fault switches of a simulated Whatsminer's two APIs; any thread may flip them at any time.
 * Precedence: hang, garbage, quirks.
 *
 * <ul>
 *   <li>{@code hang}: requests are read, never answered (until the client gives up or the idle timeout).</li>
 *   <li>{@code garbage}: each request is answered with bytes that are not JSON (v3: inside a valid frame).</li>
 *   <li>{@code quirks}: v2 replies carry the Whatsminer {@code ""temp0} quirk (reference/DEVICES.md §4.1): a
 *       string value runs into the next key without a comma ({@code "Power Mode":"Normal""temp0":…}).</li>
 * </ul>
 */
public final class WhatsminerFaults {
    private volatile boolean hang;
    private volatile boolean garbage;
    private volatile boolean quirks;

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

    public void clear() {
        hang = false;
        garbage = false;
        quirks = false;
    }
}
