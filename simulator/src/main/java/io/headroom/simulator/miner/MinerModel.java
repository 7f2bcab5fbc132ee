package io.headroom.simulator.miner;

import io.headroom.protocol.Mode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Time-stepped physical model of one miner. It owns no thread: whoever owns the clock calls
 * {@link #advanceTo(Instant)} (a site's shared ticker, or the RPC server before it answers).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Input power follows its target as a first-order lag with {@link MinerSpec#rampDown()} /
 *       {@link MinerSpec#rampUp()} as time constant. Target: the power target (± noise) when mining,
 *       {@link MinerSpec#sleepWatts()} when asleep or still booting after wakeup.</li>
 *   <li>Each board's hottest chip follows {@code inlet + rise · P/P_nameplate · (1 + board spread)} with the
 *       thermal time constant, so temperature lags power. PCB sensors read a fixed fraction of the chip rise.</li>
 *   <li>Hashrate is proportional to power above the sleep floor ({@code nameplateThs} at nameplate), zero when
 *       asleep or booting; boards' hashrates sum to the total.</li>
 *   <li>Fans follow the hottest chip (3000–6000 rpm mining; a fixed low speed asleep).</li>
 *   <li>Deterministic: the same spec, seed, start and sequence of calls give the same snapshots. Noise is a
 *       function of (seed, time), so it does not depend on how time was stepped.</li>
 * </ul>
 * Thread-safe: every method is synchronized (calls are short and uncontended).
 */
public final class MinerModel {
    /** Longest integration step; larger advances are split so power, heat and fans stay coupled. */
    static final Duration MAX_STEP = Duration.ofMillis(250);
    /** Fan speed settles in a few seconds. */
    private static final double FAN_TAU_S = 3;

    private static final double FAN_MIN_RPM = 3000;
    private static final double FAN_MAX_RPM = 6000;
    /** LuxOS {@code fans}: {@code FANCTRL.PowerOffSpeed} 20 % ≈ 1920 rpm in the 2025.4.8 capture. */
    private static final double FAN_SLEEP_RPM = 1920;
    /** Fan curve: minimum speed up to this hottest-chip temperature, then linear to the maximum. */
    private static final double FAN_CURVE_START_C = 55;

    private static final double FAN_RPM_PER_C = 150;
    /** Sensor position factors of the chip rise, in LuxOS temp_chip order (exhaust, intake, intake, exhaust). */
    private static final double[] CHIP_SENSOR_FACTOR = {1.0, 0.70, 0.72, 0.97};
    /** PCB sensors sit a few °C below the chips: 88 % of the chip rise (≈5 °C at 68 °C chips, 25 °C inlet). */
    private static final double PCB_FACTOR = 0.88;

    private static final double[] AVERAGE_WINDOWS_S = {60, 300, 900, 1800, 86_400};
    private static final long CHANNEL_POWER = 1;
    private static final long CHANNEL_HASH = 2;

    private final MinerSpec spec;
    private final long seed;
    private final Instant start;
    private final double[] boardShare;
    /** Boards whose chains stopped hashing ({@link #failBoard}); they still draw power. */
    private final boolean[] failedBoards;

    private final double[] boardThermalSpread;
    private final double[] fanFactor;

    private Instant now;
    private Mode mode = Mode.NORMAL;
    /** When hashing resumes after a wakeup or a power-up; null when not booting. */
    private Instant bootEndsAt;
    /** False while its supply (a PDU outlet) is cut: it draws nothing and does nothing. */
    private boolean powered = true;

    private double powerTargetWatts;
    private double inletTempC;
    private double powerWatts;
    private final double[] chipTempC;
    private final double[] fanRpm;
    private double energyWattSeconds;
    private double workTerahashes;
    /** Decaying hashrate averages over {@link #AVERAGE_WINDOWS_S}. */
    private final double[] hashAverages = new double[AVERAGE_WINDOWS_S.length];

    /**
     * A miner that has been mining at its nameplate long enough to be in steady state at {@code start}.
     *
     * @param spec       what it is
     * @param seed       seed for per-unit spread and noise
     * @param inletTempC air inlet temperature, °C
     * @param start      model time now
     */
    public MinerModel(MinerSpec spec, long seed, double inletTempC, Instant start) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.seed = seed;
        this.start = Objects.requireNonNull(start, "start");
        this.now = start;
        this.inletTempC = requireInlet(inletTempC);
        this.powerTargetWatts = spec.nameplateWatts();

        SplittableRandom random = new SplittableRandom(seed);
        int boards = spec.boards();
        boardShare = new double[boards];
        failedBoards = new boolean[boards];
        boardThermalSpread = new double[boards];
        double shareSum = 0;
        for (int b = 0; b < boards; b++) {
            boardShare[b] = 1 + (random.nextDouble() * 2 - 1) * 0.02;
            shareSum += boardShare[b];
            boardThermalSpread[b] = (random.nextDouble() * 2 - 1) * 0.03;
        }
        for (int b = 0; b < boards; b++) {
            boardShare[b] /= shareSum;
        }
        fanFactor = new double[spec.fans()];
        for (int f = 0; f < fanFactor.length; f++) {
            // Intake fans (first half) spin slightly faster than exhaust ones, as in the captures.
            fanFactor[f] = (f < fanFactor.length / 2 ? 1.0 : 0.98) * (1 + (random.nextDouble() * 2 - 1) * 0.01);
        }

        powerWatts = targetPower(start);
        chipTempC = new double[boards];
        for (int b = 0; b < boards; b++) {
            chipTempC[b] = steadyChipTemp(b);
        }
        Arrays.fill(hashAverages, hashrateThs(start));
        fanRpm = new double[spec.fans()];
        double fanTarget = fanTargetRpm();
        for (int f = 0; f < fanRpm.length; f++) {
            fanRpm[f] = fanTarget * fanFactor[f];
        }
    }

    public MinerSpec spec() {
        return spec;
    }

    /** Model time when the miner software started (the origin of {@code Elapsed}). */
    public Instant startedAt() {
        return start;
    }

    /** Model time of the latest {@link #advanceTo(Instant)}. */
    public synchronized Instant now() {
        return now;
    }

    public synchronized Mode mode() {
        return mode;
    }

    public synchronized double powerTargetWatts() {
        return powerTargetWatts;
    }

    /**
     * Sets the power target used while mining (not exposed over RPC yet). Takes effect from the model's
     * current time; the power ramps toward it.
     */
    public synchronized void setPowerTargetWatts(double watts) {
        if (!Double.isFinite(watts) || watts <= spec.sleepWatts() || watts > 2 * spec.nameplateWatts()) {
            throw new IllegalArgumentException("powerTargetWatts: must be in (" + spec.sleepWatts() + ", "
                    + 2 * spec.nameplateWatts() + "], got " + watts);
        }
        powerTargetWatts = watts;
    }

    public synchronized double inletTempC() {
        return inletTempC;
    }

    /** Sets the air inlet temperature from the model's current time on. */
    public synchronized void setInletTempC(double celsius) {
        inletTempC = requireInlet(celsius);
    }

    /**
     * Board {@code board} (0-based) stops hashing from the model's current time, as a hash board whose
     * chain was lost does: it reads 0 TH/s and the miner's total falls by its share, while the miner
     * keeps its power target and draw (what a technician sees as under-hashing with a dead board).
     */
    public synchronized void failBoard(int board) {
        Objects.checkIndex(board, failedBoards.length);
        failedBoards[board] = true;
    }

    /** Board {@code board} hashes again (the chain was reseated). */
    public synchronized void repairBoard(int board) {
        Objects.checkIndex(board, failedBoards.length);
        failedBoards[board] = false;
    }

    /** Curtails to sleep from the model's current time: boards off, power ramps down to sleep power. */
    public synchronized void sleep() {
        mode = Mode.SLEEP;
        bootEndsAt = null;
    }

    /**
     * Wakes from sleep at the model's current time: boards boot for {@link MinerSpec#wakeDelay()}, then power
     * ramps up. Does nothing when already mining.
     */
    public synchronized void wakeUp() {
        if (mode == Mode.SLEEP) {
            mode = Mode.NORMAL;
            bootEndsAt = now.plus(spec.wakeDelay());
        }
    }

    /** False while the supply is cut ({@link #cutPower()}). */
    public synchronized boolean powered() {
        return powered;
    }

    /**
     * The supply is cut at the model's current time: input power, hashrate and fans drop to zero at once
     * (no ramp: the PSU has nothing to draw from); chips cool toward the inlet temperature.
     */
    public synchronized void cutPower() {
        powered = false;
        powerWatts = 0;
        mode = Mode.NORMAL;
        bootEndsAt = null;
    }

    /**
     * The supply is back at the model's current time: the miner boots for {@code bootDelay} at its sleep
     * power (control board and fans), then mines at its power target. Does nothing while powered.
     */
    public synchronized void restorePower(Duration bootDelay) {
        Objects.requireNonNull(bootDelay, "bootDelay");
        if (bootDelay.isNegative()) {
            throw new IllegalArgumentException("bootDelay: must not be negative, got " + bootDelay);
        }
        if (powered) {
            return;
        }
        powered = true;
        mode = Mode.NORMAL;
        bootEndsAt = now.plus(bootDelay);
    }

    /**
     * Integrates the model up to {@code target} in steps of at most 250 ms. A target at or before the model's
     * time is ignored (several callers may advance the same model).
     */
    public void advanceTo(Instant target) {
        advanceTo(target, MAX_STEP);
    }

    /**
     * Integrates up to {@code target} in steps of at most {@code maxStep}: the exponential approach is
     * exact for a constant target, so a coarse step (the backtest's, seconds) stays stable; it only
     * resolves a ramp's start and a boot's end to that step.
     */
    public synchronized void advanceTo(Instant target, Duration maxStep) {
        Objects.requireNonNull(target, "target");
        if (maxStep.isNegative() || maxStep.isZero()) {
            throw new IllegalArgumentException("maxStep must be positive, not " + maxStep);
        }
        while (now.isBefore(target)) {
            Instant next = now.plus(maxStep);
            if (next.isAfter(target)) {
                next = target;
            }
            step(now, next);
            now = next;
        }
    }

    /** Power drawn now, W: {@link #snapshot()}'s without building the boards and fans (a backtest reads it every step). */
    public synchronized double powerWatts() {
        return powerWatts;
    }

    /** Hashrate now, TH/s: {@link #snapshot()}'s without building the boards and fans. */
    public synchronized double hashrateThs() {
        return hashrateThs(now);
    }

    /** The state at the model's current time. */
    public synchronized MinerSnapshot snapshot() {
        double total = hashrateThs(now);
        List<BoardSnapshot> boards = new ArrayList<>(spec.boards());
        for (int b = 0; b < spec.boards(); b++) {
            double rise = chipTempC[b] - inletTempC;
            List<Integer> chip = new ArrayList<>(BoardSnapshot.SENSORS);
            List<Integer> pcb = new ArrayList<>(BoardSnapshot.SENSORS);
            for (double factor : CHIP_SENSOR_FACTOR) {
                chip.add((int) Math.round(inletTempC + rise * factor));
                pcb.add((int) Math.round(inletTempC + rise * factor * PCB_FACTOR));
            }
            double share = healthyShare();
            double board = failedBoards[b] || share == 0 ? 0 : total / share * boardShare[b];
            boards.add(new BoardSnapshot(b, board, chip, pcb));
        }
        List<Integer> fans = new ArrayList<>(fanRpm.length);
        for (double rpm : fanRpm) {
            fans.add((int) Math.round(rpm));
        }
        boolean booting = bootEndsAt != null && now.isBefore(bootEndsAt);
        boolean settling = Math.abs(powerWatts - targetPower(now)) > 0.02 * spec.nameplateWatts();
        return new MinerSnapshot(
                now,
                mode,
                powerWatts,
                powerTargetWatts,
                total,
                boards,
                fans,
                inletTempC,
                energyWattSeconds / 3_600_000.0,
                new HashrateAverages(
                        hashAverages[0], hashAverages[1], hashAverages[2], hashAverages[3], hashAverages[4]),
                workTerahashes,
                Duration.between(start, now),
                booting || settling);
    }

    private void step(Instant from, Instant to) {
        double dt = Duration.between(from, to).toNanos() / 1e9;
        double hashBefore = hashrateThs(from);
        double powerBefore = powerWatts;

        double target = targetPower(to);
        double tau = seconds(target < powerWatts ? spec.rampDown() : spec.rampUp());
        powerWatts = target + (powerWatts - target) * Math.exp(-dt / tau);

        double thermalDecay = Math.exp(-dt / seconds(spec.thermalTimeConstant()));
        for (int b = 0; b < chipTempC.length; b++) {
            double steady = steadyChipTemp(b);
            chipTempC[b] = steady + (chipTempC[b] - steady) * thermalDecay;
        }
        double fanTarget = fanTargetRpm();
        double fanDecay = Math.exp(-dt / FAN_TAU_S);
        for (int f = 0; f < fanRpm.length; f++) {
            double wanted = fanTarget * fanFactor[f];
            fanRpm[f] = wanted + (fanRpm[f] - wanted) * fanDecay;
        }

        energyWattSeconds += (powerBefore + powerWatts) / 2 * dt;
        double hashAfter = hashrateThs(to);
        workTerahashes += (hashBefore + hashAfter) / 2 * dt;
        for (int w = 0; w < hashAverages.length; w++) {
            hashAverages[w] = hashAfter + (hashAverages[w] - hashAfter) * Math.exp(-dt / AVERAGE_WINDOWS_S[w]);
        }
    }

    private boolean hashing(Instant t) {
        return powered && mode == Mode.NORMAL && (bootEndsAt == null || !t.isBefore(bootEndsAt));
    }

    private double targetPower(Instant t) {
        if (!powered) {
            return 0;
        }
        if (!hashing(t)) {
            return spec.sleepWatts();
        }
        return powerTargetWatts * (1 + spec.powerNoise() * noise(CHANNEL_POWER, t));
    }

    private double hashrateThs(Instant t) {
        if (!hashing(t)) {
            return 0;
        }
        double above = Math.max(0, powerWatts - spec.sleepWatts());
        double perWatt = spec.nameplateThs() / (spec.nameplateWatts() - spec.sleepWatts());
        return above * perWatt * (1 + spec.hashNoise() * noise(CHANNEL_HASH, t)) * healthyShare();
    }

    /** The share of the hashrate the boards that still hash give: 1 with none failed. */
    private double healthyShare() {
        double share = 0;
        for (int b = 0; b < boardShare.length; b++) {
            if (!failedBoards[b]) {
                share += boardShare[b];
            }
        }
        return share;
    }

    private double steadyChipTemp(int board) {
        return inletTempC
                + spec.chipRiseAtNameplateC() * (powerWatts / spec.nameplateWatts()) * (1 + boardThermalSpread[board]);
    }

    private double fanTargetRpm() {
        if (!powered) {
            return 0;
        }
        if (mode == Mode.SLEEP) {
            return FAN_SLEEP_RPM;
        }
        double hottest = Double.NEGATIVE_INFINITY;
        for (double t : chipTempC) {
            hottest = Math.max(hottest, t);
        }
        double rpm = FAN_MIN_RPM + (hottest - FAN_CURVE_START_C) * FAN_RPM_PER_C;
        return Math.max(FAN_MIN_RPM, Math.min(FAN_MAX_RPM, rpm));
    }

    /** Smooth value noise in [-1, 1]: random knots every second, linearly interpolated. */
    private double noise(long channel, Instant t) {
        double s = Duration.between(start, t).toNanos() / 1e9;
        long knot = (long) Math.floor(s);
        double frac = s - knot;
        double a = knotValue(channel, knot);
        double b = knotValue(channel, knot + 1);
        return a + (b - a) * frac;
    }

    private double knotValue(long channel, long knot) {
        long z = seed + channel * 0x9E3779B97F4A7C15L + knot * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        z ^= z >>> 33;
        return (z >>> 11) * 0x1.0p-53 * 2 - 1;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static double requireInlet(double celsius) {
        if (!Double.isFinite(celsius) || celsius < -40 || celsius > 60) {
            throw new IllegalArgumentException("inletTempC: must be in [-40, 60], got " + celsius);
        }
        return celsius;
    }
}
