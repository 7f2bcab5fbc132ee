package io.headroom.simulator.vnish;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Runtime fault switches of a simulated Vnish web API; any thread may flip them at any time.
 *
 * <ul>
 *   <li>{@code responseDelay}: every answer waits this long first (real time; longer than a client's timeout is a
 *       hung miner). Closing the simulator ends the wait.</li>
 *   <li>{@code garbage}: authenticated reads are answered 200 with a body that is not JSON.</li>
 *   <li>{@code wrongTypes}: authenticated reads are answered 200 with the right keys holding the wrong types
 *       (strings for numbers, arrays for objects).</li>
 *   <li>{@code oversize}: authenticated reads are answered 200 with a 2 MiB body.</li>
 *   <li>{@code serverError}: authenticated requests are answered 500, as the firmware does while its miner software restarts.</li>
 *   <li>{@code ignorePreset}: {@code POST /settings} with a preset the miner has answers as usual but keeps the old
 *       preset (as the firmware does with an untuned preset).</li>
 *   <li>{@code poolsDead}: the user pool reads {@code offline}.</li>
 *   <li>{@code missing}: these API paths (e.g. {@code /api/v1/perf-summary}) answer 404.</li>
 * </ul>
 */
public final class VnishFaults {
    private volatile Duration responseDelay = Duration.ZERO;
    private volatile boolean garbage;
    private volatile boolean wrongTypes;
    private volatile boolean oversize;
    private volatile boolean serverError;
    private volatile boolean ignorePreset;
    private volatile boolean poolsDead;
    private volatile Set<String> missing = Set.of();

    public Duration responseDelay() {
        return responseDelay;
    }

    public void setResponseDelay(Duration delay) {
        this.responseDelay = Objects.requireNonNull(delay, "delay");
    }

    public boolean garbage() {
        return garbage;
    }

    public void setGarbage(boolean garbage) {
        this.garbage = garbage;
    }

    public boolean wrongTypes() {
        return wrongTypes;
    }

    public void setWrongTypes(boolean wrongTypes) {
        this.wrongTypes = wrongTypes;
    }

    public boolean oversize() {
        return oversize;
    }

    public void setOversize(boolean oversize) {
        this.oversize = oversize;
    }

    public boolean serverError() {
        return serverError;
    }

    public void setServerError(boolean serverError) {
        this.serverError = serverError;
    }

    public boolean ignorePreset() {
        return ignorePreset;
    }

    public void setIgnorePreset(boolean ignore) {
        this.ignorePreset = ignore;
    }

    /** True when the user pool reads offline. */
    public boolean poolsDead() {
        return poolsDead;
    }

    public void setPoolsDead(boolean dead) {
        this.poolsDead = dead;
    }

    /** Paths answered 404, as on firmware without them. */
    public Set<String> missing() {
        return missing;
    }

    public void setMissing(Set<String> paths) {
        this.missing = Set.copyOf(paths);
    }

    public void clear() {
        responseDelay = Duration.ZERO;
        garbage = false;
        wrongTypes = false;
        oversize = false;
        serverError = false;
        ignorePreset = false;
        poolsDead = false;
        missing = Set.of();
    }
}
