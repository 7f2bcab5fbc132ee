package io.headroom.agent.transport.serial;

import java.time.Duration;

/**
 * When a port that failed to open may be tried again: after {@code min}, doubled with every further
 * failure up to {@code max}. No jitter: one agent owns the port, there is no herd to spread.
 * Times are monotonic nanoseconds from the bus's clock. Not thread-safe; the bus's lock guards it.
 */
final class OpenBackoff {
    private final long minNanos;
    private final long maxNanos;
    private int failures;
    private long notBefore;

    OpenBackoff(Duration min, Duration max) {
        this.minNanos = min.toNanos();
        this.maxNanos = Math.max(minNanos, max.toNanos());
    }

    /** Records a failed attempt at {@code now}; returns the wait before the next one. */
    long failed(long now) {
        long delay = minNanos << Math.min(failures, 30);
        delay = delay <= 0 || delay > maxNanos ? maxNanos : delay;
        failures++;
        notBefore = now + delay;
        return delay;
    }

    /** Nanoseconds still to wait at {@code now} before the next attempt; 0 when it may go ahead. */
    long remaining(long now) {
        return failures == 0 ? 0 : Math.max(0, notBefore - now);
    }

    int failures() {
        return failures;
    }

    void reset() {
        failures = 0;
    }
}
