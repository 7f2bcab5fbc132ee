package io.headroom.simulator.antminer;

import java.time.Duration;
import java.util.Objects;

/**
 * Runtime fault switches of a simulated Antminer web UI; any thread may flip them at any time.
 *
 * <ul>
 *   <li>{@code responseDelay}: every answer waits this long first (real time; longer than a client's timeout is a
 *       hung miner). Closing the simulator ends the wait.</li>
 *   <li>{@code writeDelay}: {@code set_miner_conf} answers only after this long (real time), as the firmware
 *       does (about 21 s) once the new mode is applied.</li>
 *   <li>{@code garbage}: authenticated GETs are answered 200 with a body that is not JSON.</li>
 *   <li>{@code oversize}: authenticated GETs are answered 200 with a 2 MiB body.</li>
 *   <li>{@code ignoreMode}: {@code set_miner_conf} answers success but keeps the old mode, as S21+ firmware of
 *       February 2025 was reported to do (reference/DEVICES.md §4.2).</li>
 *   <li>{@code missing}: these CGIs answer 404.</li>
 * </ul>
 */
public final class AntminerFaults {
    private volatile Duration responseDelay = Duration.ZERO;
    private volatile Duration writeDelay = Duration.ZERO;
    private volatile boolean garbage;
    private volatile boolean oversize;
    private volatile boolean ignoreMode;
    private volatile java.util.Set<String> missing = java.util.Set.of();

    public Duration responseDelay() {
        return responseDelay;
    }

    public void setResponseDelay(Duration delay) {
        this.responseDelay = Objects.requireNonNull(delay, "delay");
    }

    public Duration writeDelay() {
        return writeDelay;
    }

    public void setWriteDelay(Duration delay) {
        this.writeDelay = Objects.requireNonNull(delay, "delay");
    }

    public boolean garbage() {
        return garbage;
    }

    public void setGarbage(boolean garbage) {
        this.garbage = garbage;
    }

    public boolean oversize() {
        return oversize;
    }

    public void setOversize(boolean oversize) {
        this.oversize = oversize;
    }

    public boolean ignoreMode() {
        return ignoreMode;
    }

    public void setIgnoreMode(boolean ignoreMode) {
        this.ignoreMode = ignoreMode;
    }

    /** CGIs (e.g. {@code summary}) answered 404, as on firmware without them. */
    public java.util.Set<String> missing() {
        return missing;
    }

    public void setMissing(java.util.Set<String> cgis) {
        this.missing = java.util.Set.copyOf(cgis);
    }

    public void clear() {
        missing = java.util.Set.of();
        responseDelay = Duration.ZERO;
        writeDelay = Duration.ZERO;
        garbage = false;
        oversize = false;
        ignoreMode = false;
    }
}
