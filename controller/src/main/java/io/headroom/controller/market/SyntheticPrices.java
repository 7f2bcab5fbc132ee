package io.headroom.controller.market;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded synthetic prices for the shipped sample ({@code docs/examples/market/}) and backtests: no
 * third-party data, the same series for the same seed on every JVM ({@link Random}'s algorithm is
 * specified, and only {@link StrictMath} is used). The model is documented in {@code docs/market.md}.
 *
 * <p>Real-time energy, USD/MWh, per step: a base of 38, an evening peak (+16 at 18:00 UTC), a
 * morning shoulder (+6 at 08:00), a night trough (−8 at 03:00) and a midday solar dip (−10 at
 * 13:00), each a Gaussian bump of 2 h standard deviation; −5 at weekends; AR(1) noise
 * {@code x ← 0.97 x + N(0, 2.5)} per 5 minutes; and scarcity spikes arriving at random, on average
 * one every two days, each lasting a geometric number of steps (mean 30 minutes) at a lognormal
 * height ({@code 80 × e^N(1.2, 0.8)} added, capped so the price stays at most 5000), floored at −50.
 *
 * <p>Hashprice, USD/PH/day, daily: from 52, a log random walk {@code h ← h × e^N(0, 0.03)}.
 */
public final class SyntheticPrices {
    /** The seed of the shipped sample. */
    public static final long SAMPLE_SEED = 20261101L;
    /** The shipped sample's start: November 2026, 30 days. */
    public static final Instant SAMPLE_START = Instant.parse("2026-11-01T00:00:00Z");

    public static final int SAMPLE_DAYS = 30;

    private static final double SPIKES_PER_DAY = 0.5;
    private static final double MEAN_SPIKE_MINUTES = 30;

    private SyntheticPrices() {}

    /** Real-time energy prices from {@code from} for {@code length}, one per {@code step}. */
    public static PriceSeries energy(long seed, Instant from, Duration length, Duration step) {
        if (step.isZero() || step.isNegative() || step.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("step: " + step + " is not within 1ns..1h");
        }
        Random random = new Random(seed);
        double stepMinutes = step.toNanos() / 60e9;
        double phi = StrictMath.pow(0.97, stepMinutes / 5);
        double sigma = 2.5 * StrictMath.sqrt(stepMinutes / 5);
        double spikeChance = SPIKES_PER_DAY * stepMinutes / (24 * 60);
        double spikeEnd = 1 / (MEAN_SPIKE_MINUTES / stepMinutes);
        double noise = 0;
        double spike = 0;
        List<PricePoint> points = new ArrayList<>();
        for (Instant at = from; at.isBefore(from.plus(length)); at = at.plus(step)) {
            ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
            double hour = utc.getHour() + utc.getMinute() / 60.0;
            boolean weekend = utc.getDayOfWeek().getValue() >= 6;
            noise = phi * noise + sigma * random.nextGaussian();
            if (spike > 0 && random.nextDouble() < spikeEnd) {
                spike = 0;
            } else if (spike == 0 && random.nextDouble() < spikeChance) {
                spike = 80 * StrictMath.exp(1.2 + 0.8 * random.nextGaussian());
            }
            double price = 38
                    + bump(hour, 18, 16)
                    + bump(hour, 8, 6)
                    + bump(hour, 3, -8)
                    + bump(hour, 13, -10)
                    + (weekend ? -5 : 0)
                    + noise
                    + spike;
            price = Math.max(-50, Math.min(5000, price));
            points.add(new PricePoint(at, Math.round(price * 100) / 100.0));
        }
        return PriceSeries.of(points);
    }

    /** A Gaussian bump of {@code height} centred at {@code centre} o'clock, 2 h wide, wrapping at midnight. */
    private static double bump(double hour, double centre, double height) {
        double d = Math.abs(hour - centre);
        d = Math.min(d, 24 - d);
        return height * StrictMath.exp(-d * d / (2 * 2 * 2));
    }

    /** Daily hashprices from {@code from}, one per day. */
    public static PriceSeries hashprice(long seed, Instant from, int days) {
        Random random = new Random(seed ^ 0x5DEECE66DL);
        double price = 52;
        List<PricePoint> points = new ArrayList<>();
        for (int day = 0; day < days; day++) {
            points.add(new PricePoint(from.plus(Duration.ofDays(day)), Math.round(price * 100) / 100.0));
            price *= StrictMath.exp(0.03 * random.nextGaussian());
        }
        return PriceSeries.of(points);
    }

    /** The shipped sample's real-time prices: 30 days of 5-minute prices. */
    public static PriceSeries sampleEnergy() {
        return energy(SAMPLE_SEED, SAMPLE_START, Duration.ofDays(SAMPLE_DAYS), Duration.ofMinutes(5));
    }

    /** The shipped sample's hashprice: 30 daily values. */
    public static PriceSeries sampleHashprice() {
        return hashprice(SAMPLE_SEED, SAMPLE_START, SAMPLE_DAYS);
    }

    /** {@code series} as CSV with a {@code time,value} header, ISO-8601 UTC times, as {@link PriceFiles} reads it. */
    public static String csv(PriceSeries series) {
        StringBuilder out = new StringBuilder("time,value\n");
        for (PricePoint point : series.points()) {
            out.append(point.at())
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.2f", point.value()))
                    .append('\n');
        }
        return out.toString();
    }
}
