package io.headroom.controller.history;

import java.util.Objects;

/**
 * A copy of one device-metric's history over one range: the buckets that received samples, oldest
 * first, each with its start time, the mean and the max of its samples. Immutable.
 */
public final class HistorySeries {
    private final String metric;
    private final String unit;
    private final HistoryRange range;
    private final long fromMillis;
    private final long toMillis;
    private final long[] atMillis;
    private final double[] mean;
    private final double[] max;
    private final double precision;

    HistorySeries(
            String metric,
            String unit,
            HistoryRange range,
            long fromMillis,
            long toMillis,
            long[] atMillis,
            double[] mean,
            double[] max,
            double precision) {
        this.metric = Objects.requireNonNull(metric, "metric");
        this.unit = Objects.requireNonNull(unit, "unit");
        this.range = Objects.requireNonNull(range, "range");
        this.fromMillis = fromMillis;
        this.toMillis = toMillis;
        this.atMillis = atMillis;
        this.mean = mean;
        this.max = max;
        this.precision = precision;
    }

    /** An empty series: the metric exists but no sample has reached the window. */
    static HistorySeries empty(String metric, String unit, HistoryRange range, long fromMillis, long toMillis) {
        return new HistorySeries(
                metric, unit, range, fromMillis, toMillis, new long[0], new double[0], new double[0], 0);
    }

    /** The display key, e.g. {@code power} or {@code temperature.chip[1]}. */
    public String metric() {
        return metric;
    }

    public String unit() {
        return unit;
    }

    public HistoryRange range() {
        return range;
    }

    /** Start of the window's first bucket, epoch ms. */
    public long fromMillis() {
        return fromMillis;
    }

    /** End of the window (exclusive), epoch ms. */
    public long toMillis() {
        return toMillis;
    }

    /** Number of points. */
    public int size() {
        return atMillis.length;
    }

    /** Start of the point's bucket, epoch ms. */
    public long atMillis(int i) {
        return atMillis[i];
    }

    /** Mean of the samples in the point's bucket. */
    public double mean(int i) {
        return mean[i];
    }

    /**
     * How finely values are kept: each is within half of this of what was stored (0 when empty).
     * Widens when the metric's values do (see D41).
     */
    public double precision() {
        return precision;
    }

    /** Largest sample in the point's bucket. */
    public double max(int i) {
        return max[i];
    }
}
