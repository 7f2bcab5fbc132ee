package io.headroom.bench;

/**
 * A log-linear histogram of latencies in nanoseconds (HdrHistogram is not on the classpath):
 * values below 64 ns have a bucket each; above, every power of two is split into 32 buckets, so a
 * bucket is at most 1/32 (3.1 %) of its value wide. A percentile reports the upper bound of its
 * bucket, so it is never understated. One writer thread per instance; {@link #add} merges.
 */
final class LatencyHistogram {
    private static final int LINEAR = 64;
    private static final int SUB_BUCKETS = 32;
    private static final int SUB_BITS = 5;

    private final long[] counts = new long[LINEAR + (64 - 6) * SUB_BUCKETS];
    private long total;
    private long max;

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        max = Math.max(max, v);
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int k = 63 - Long.numberOfLeadingZeros(v); // 6 or more
        int sub = (int) (v >>> (k - SUB_BITS)) - SUB_BUCKETS; // 0 .. 31
        return LINEAR + (k - 6) * SUB_BUCKETS + sub;
    }

    /** The largest value that falls in bucket {@code index}. */
    static long upperBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int k = (index - LINEAR) / SUB_BUCKETS + 6;
        int sub = (index - LINEAR) % SUB_BUCKETS + SUB_BUCKETS;
        return ((long) (sub + 1) << (k - SUB_BITS)) - 1;
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** The value at quantile {@code q} (0 &lt; q ≤ 1), in nanoseconds; 0 when empty. */
    long percentile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }
}
