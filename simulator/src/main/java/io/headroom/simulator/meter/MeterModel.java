package io.headroom.simulator.meter;

import io.headroom.simulator.site.SitePower;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * A class 1 three-phase energy meter (IEC 62053-21: ±1 % of reading) on a load whose true power and
 * energy the site model gives: a fixed per-unit gain error (±0.3 %, from the seed) and per-phase read
 * noise (±0.5 %), so the meter disagrees with the sum of the devices it meters by less than
 * {@link #ACCURACY}. The load is taken to be spread evenly over the three phases (racks are balanced
 * across phases); voltage and frequency wander slightly around 230 V / 50 Hz.
 *
 * <p>Noise is a function of (seed, channel, whole second of the clock), so the same seed and time give
 * the same reading however often it is read. Thread-safe (stateless but for its inputs).
 */
public final class MeterModel {
    /** Class 1: the meter's total is within 1 % of the true power. */
    public static final double ACCURACY = 0.01;

    private static final double GAIN_ERROR = 0.003;
    private static final double READ_NOISE = 0.005;
    private static final double VOLTS_NOISE = 0.004;
    private static final double NOMINAL_HZ = 50.0;
    private static final double HZ_NOISE = 0.02;

    private final DoubleSupplier trueWatts;
    private final DoubleSupplier trueKwh;
    private final Clock clock;
    private final long seed;
    private final double gain;

    /**
     * @param trueWatts the metered load's real power now, W
     * @param trueKwh   the energy it has drawn so far, kWh
     */
    public MeterModel(DoubleSupplier trueWatts, DoubleSupplier trueKwh, Clock clock, long seed) {
        this.trueWatts = Objects.requireNonNull(trueWatts, "trueWatts");
        this.trueKwh = Objects.requireNonNull(trueKwh, "trueKwh");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.seed = seed;
        this.gain = 1 + GAIN_ERROR * unit(seed, 0, 0);
    }

    /** A meter on one feed of the site. */
    public static MeterModel onFeed(SitePower power, String feedId, long seed) {
        power.feed(feedId);
        return new MeterModel(
                () -> power.feedWatts(feedId),
                () -> power.feedEnergyKwh(feedId),
                power.site().clock(),
                seed);
    }

    /** A meter on one rack of the site. */
    public static MeterModel onRack(SitePower power, String rackId, long seed) {
        power.rack(rackId);
        return new MeterModel(
                () -> power.rackWatts(rackId),
                () -> power.rackEnergyKwh(rackId),
                power.site().clock(),
                seed);
    }

    /** What the meter shows now. */
    public MeterReading read() {
        Instant now = clock.instant();
        long second = Duration.between(Instant.EPOCH, now).getSeconds();
        double total = Math.max(0, trueWatts.getAsDouble());
        double[] volts = new double[3];
        double[] amps = new double[3];
        double[] watts = new double[3];
        double sum = 0;
        for (int phase = 0; phase < 3; phase++) {
            volts[phase] = SitePower.NOMINAL_VOLTS * (1 + VOLTS_NOISE * unit(seed, 10 + phase, second));
            watts[phase] = total / 3 * gain * (1 + READ_NOISE * unit(seed, 20 + phase, second));
            amps[phase] = watts[phase] / (volts[phase] * SitePower.POWER_FACTOR);
            sum += watts[phase];
        }
        double va = sum / SitePower.POWER_FACTOR;
        double var = Math.sqrt(Math.max(0, va * va - sum * sum));
        double hz = NOMINAL_HZ + HZ_NOISE * unit(seed, 30, second);
        return new MeterReading(
                volts, amps, watts, sum, va, var, SitePower.POWER_FACTOR, hz, trueKwh.getAsDouble() * gain);
    }

    /** A repeatable value in [-1, 1] for (seed, channel, second). */
    private static double unit(long seed, long channel, long second) {
        long z = seed + channel * 0x9E3779B97F4A7C15L + second * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        z ^= z >>> 33;
        return (z >>> 11) * 0x1.0p-53 * 2 - 1;
    }
}
