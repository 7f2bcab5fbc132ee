package io.headroom.controller.broker;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Delays between connection attempts: {@code min}, doubled per failed attempt up to {@code max},
 * each drawn uniformly from its upper half ("equal jitter"), so that controllers and agents cut off
 * by one broker restart do not all come back in the same millisecond. Not thread-safe; used on the
 * transport's connect thread.
 */
final class ReconnectDelays {
    private final long minMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private int failures;

    /**
     * @param random uniform in [0, 1); tests pass a fixed one
     */
    ReconnectDelays(Duration min, Duration max, DoubleSupplier random) {
        if (min.isNegative() || min.isZero() || min.compareTo(max) > 0) {
            throw new IllegalArgumentException("reconnect delays: need 0 < min <= max, got " + min + " and " + max);
        }
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The delay before the next attempt, after one more failure. */
    long nextMillis() {
        long ceiling = minMillis;
        for (int i = 0; i < failures && ceiling < maxMillis; i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, maxMillis);
        failures++;
        long half = ceiling / 2;
        return half + (long) (random.getAsDouble() * (ceiling - half));
    }

    /** A connection succeeded: the next outage starts again from {@code min}. */
    void reset() {
        failures = 0;
    }
}
