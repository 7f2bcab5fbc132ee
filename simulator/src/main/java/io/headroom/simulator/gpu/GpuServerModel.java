package io.headroom.simulator.gpu;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Time-stepped physical model of one GPU server under a chassis power cap. It owns no thread: whoever
 * owns the clock calls {@link #advanceTo(Instant)} (a test, a site's ticker, or the BMC simulation
 * before it answers), as {@code MinerModel} does.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The chassis cap is shared equally: each GPU's enforced limit is
 *       {@code clamp((cap - host) / N, minLimit, tdp)}; a cap outside
 *       [{@link GpuSpec#allowableMinWatts()}, {@link GpuSpec#allowableMaxWatts()}] is refused.</li>
 *   <li>Each GPU's power follows {@code min(idle + demand · (tdp - idle) ± noise, limit)} as a first-order
 *       lag with {@link GpuSpec#powerTau()}: a lower cap makes power fall within a few time constants, a
 *       GPU never draws more than its limit once settled.</li>
 *   <li>Each GPU's temperature follows {@code inlet + rise · power} with {@link GpuSpec#thermalTau()}.</li>
 *   <li>Energy is the integral of power (mJ); chassis power is the host plus every GPU.</li>
 *   <li>Deterministic: the same spec, seed, start and sequence of calls give the same values; the noise
 *       is a function of (seed, GPU, whole second), not of how time was stepped.</li>
 * </ul>
 * Thread-safe: every method is synchronized.
 */
public final class GpuServerModel {

    /** Longest integration step. */
    static final Duration MAX_STEP = Duration.ofMillis(100);

    private final GpuSpec spec;
    private final long seed;
    private final Instant start;
    private Instant now;
    private double inletC;
    private double capWatts;
    private final double[] demand;
    private final double[] powerW;
    private final double[] tempC;
    private final double[] energyMj;

    /**
     * A server in steady state at {@code start}: every GPU at {@code demand}, the cap at its maximum.
     *
     * @param demand workload demand of every GPU, 0 (idle) … 1 (full power)
     * @param inletC air inlet temperature
     */
    public GpuServerModel(GpuSpec spec, long seed, double demand, double inletC, Instant start) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.seed = seed;
        this.start = Objects.requireNonNull(start, "start");
        this.now = start;
        this.inletC = requireInlet(inletC);
        this.capWatts = spec.allowableMaxWatts();
        int n = spec.gpus();
        this.demand = new double[n];
        this.powerW = new double[n];
        this.tempC = new double[n];
        this.energyMj = new double[n];
        for (int g = 0; g < n; g++) {
            this.demand[g] = requireDemand(demand);
            powerW[g] = targetWatts(g, start);
            tempC[g] = inletC + spec.riseCPerWatt() * powerW[g];
        }
    }

    public GpuSpec spec() {
        return spec;
    }

    /** Model time of the latest {@link #advanceTo}. */
    public synchronized Instant now() {
        return now;
    }

    /** The chassis power cap in force, in W. */
    public synchronized double powerCapWatts() {
        return capWatts;
    }

    /**
     * Sets the chassis power cap from the model's current time on; each GPU's power then ramps toward
     * its new limit.
     *
     * @throws IllegalArgumentException outside the allowable range, naming it
     */
    public synchronized void setPowerCapWatts(double watts) {
        if (!Double.isFinite(watts) || watts < spec.allowableMinWatts() || watts > spec.allowableMaxWatts()) {
            throw new IllegalArgumentException("power cap " + watts + " W is outside the allowable range "
                    + spec.allowableMinWatts() + " to " + spec.allowableMaxWatts() + " W");
        }
        capWatts = watts;
    }

    /** Sets every GPU's workload demand (0 … 1) from the model's current time on. */
    public synchronized void setDemand(double fraction) {
        requireDemand(fraction);
        java.util.Arrays.fill(demand, fraction);
    }

    /** Sets one GPU's workload demand (0 … 1). */
    public synchronized void setDemand(int gpu, double fraction) {
        Objects.checkIndex(gpu, spec.gpus());
        demand[gpu] = requireDemand(fraction);
    }

    public synchronized double inletC() {
        return inletC;
    }

    public synchronized void setInletC(double celsius) {
        inletC = requireInlet(celsius);
    }

    /** Each GPU's enforced power limit under the present cap, in W. */
    public synchronized double gpuLimitWatts() {
        double share = (capWatts - spec.hostWatts()) / spec.gpus();
        return Math.max(spec.minLimitWatts(), Math.min(spec.tdpWatts(), share));
    }

    /**
     * Integrates up to {@code target} in steps of at most {@link #MAX_STEP}. A target at or before the
     * model's time is ignored (several callers may advance one model).
     */
    public synchronized void advanceTo(Instant target) {
        Objects.requireNonNull(target, "target");
        while (now.isBefore(target)) {
            Instant next = now.plus(MAX_STEP);
            if (next.isAfter(target)) {
                next = target;
            }
            double dt = Duration.between(now, next).toNanos() / 1e9;
            double powerAlpha = 1 - Math.exp(-dt / seconds(spec.powerTau()));
            double thermalAlpha = 1 - Math.exp(-dt / seconds(spec.thermalTau()));
            for (int g = 0; g < spec.gpus(); g++) {
                double before = powerW[g];
                powerW[g] += (targetWatts(g, now) - powerW[g]) * powerAlpha;
                energyMj[g] += (before + powerW[g]) / 2 * dt * 1000;
                double steady = inletC + spec.riseCPerWatt() * powerW[g];
                tempC[g] += (steady - tempC[g]) * thermalAlpha;
            }
            now = next;
        }
    }

    /** Every GPU at the model's current time, by index. */
    public synchronized List<GpuSnapshot> gpus() {
        List<GpuSnapshot> out = new ArrayList<>(spec.gpus());
        double limit = gpuLimitWatts();
        for (int g = 0; g < spec.gpus(); g++) {
            out.add(new GpuSnapshot(
                    g, powerW[g], (long) energyMj[g], tempC[g], (int) Math.round(demand[g] * 100), limit));
        }
        return out;
    }

    /** The whole server's input power: the host plus every GPU, in W. */
    public synchronized double chassisPowerWatts() {
        double sum = spec.hostWatts();
        for (double p : powerW) {
            sum += p;
        }
        return sum;
    }

    /** Model time since the start. */
    public synchronized Duration uptime() {
        return Duration.between(start, now);
    }

    private double targetWatts(int gpu, Instant at) {
        double wanted = spec.idleWatts() + demand[gpu] * (spec.tdpWatts() - spec.idleWatts()) + noise(gpu, at);
        return Math.max(spec.idleWatts() * 0.9, Math.min(wanted, gpuLimitWatts()));
    }

    /** Seeded noise in ±noiseWatts, constant within one whole second of model time. */
    private double noise(int gpu, Instant at) {
        long second = Math.floorDiv(at.toEpochMilli(), 1000);
        long mixed = seed * 0x9E3779B97F4A7C15L + gpu * 0xC2B2AE3D27D4EB4FL + second;
        return (new SplittableRandom(mixed).nextDouble() * 2 - 1) * spec.noiseWatts();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static double requireDemand(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("demand: must be 0 to 1, got " + fraction);
        }
        return fraction;
    }

    private static double requireInlet(double celsius) {
        if (!(celsius >= -20 && celsius <= 60)) {
            throw new IllegalArgumentException("inlet: must be -20 to 60 °C, got " + celsius);
        }
        return celsius;
    }
}
