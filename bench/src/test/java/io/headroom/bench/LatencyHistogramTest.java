package io.headroom.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void everyValueFallsInABucketAtMostOneThirtySecondWide() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong(1L << (1 + random.nextInt(40)));
            int index = LatencyHistogram.index(v);
            long upper = LatencyHistogram.upperBound(index);
            long lower = index == 0 ? 0 : LatencyHistogram.upperBound(index - 1) + 1;
            assertThat(v).isBetween(lower, upper);
            assertThat(upper - lower).isLessThanOrEqualTo(Math.max(0, v / 32));
        }
    }

    @Test
    void percentiles_areNeverBelowTheExactOnes_andWithinABucket() {
        SplittableRandom random = new SplittableRandom(2);
        long[] values = new long[10_000];
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = 50_000 + (long) (random.nextDouble() * random.nextDouble() * 50_000_000);
            (i % 2 == 0 ? a : b).record(values[i]);
        }
        a.add(b);
        Arrays.sort(values);
        assertThat(a.count()).isEqualTo(values.length);
        assertThat(a.max()).isEqualTo(values[values.length - 1]);
        for (double q : new double[] {0.5, 0.99, 0.999, 1.0}) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            assertThat(a.percentile(q)).as("q=%s", q).isBetween(exact, exact + exact / 32);
        }
        assertThat(new LatencyHistogram().percentile(0.99)).isZero();
    }
}
