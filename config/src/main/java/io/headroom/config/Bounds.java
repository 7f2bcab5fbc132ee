package io.headroom.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The parsed bounds of a {@link Range}, of the same class as the value they bound ({@code Integer},
 * {@code Long}, {@code Double}, {@link Duration} or {@link DataSize}); either may be open (null).
 */
final class Bounds {

    private final @Nullable Comparable<Object> min;
    private final @Nullable Comparable<Object> max;
    private final String minText;
    private final String maxText;

    @SuppressWarnings("unchecked")
    Bounds(@Nullable Object min, @Nullable Object max, String minText, String maxText) {
        this.min = (Comparable<Object>) min;
        this.max = (Comparable<Object>) max;
        this.minText = minText;
        this.maxText = maxText;
    }

    @Nullable
    Object min() {
        return min;
    }

    @Nullable
    Object max() {
        return max;
    }

    /** Null when {@code value} is within bounds; else the problem, quoting the value as written. */
    @Nullable
    String check(Object value, String written) {
        boolean low = min != null && min.compareTo(value) > 0;
        boolean high = max != null && max.compareTo(value) < 0;
        if (!low && !high) {
            return null;
        }
        if (min != null && max != null) {
            return written + " is outside " + format(min, minText) + ".." + format(max, maxText);
        }
        return low
                ? written + " is below the minimum " + format(min, minText)
                : written + " is above the maximum " + format(max, maxText);
    }

    /** Durations and sizes in their canonical spelling; numbers as the annotation wrote them. */
    private static String format(@Nullable Object bound, String text) {
        if (bound instanceof Duration) {
            return Durations.format((Duration) bound);
        }
        if (bound instanceof DataSize) {
            return DataSize.format(((DataSize) bound).bytes());
        }
        return text;
    }
}
