package io.headroom.agent.publish;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential reconnect delays from a minimum to a cap, with jitter so that a rack of agents
 * cut off together does not reconnect in lock-step (a thundering herd on the controller).
 */
final class ReconnectBackoff {
    private final long minMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private int failures;

    ReconnectBackoff(Duration min, Duration max) {
        this(min, max, new SecureRandom());
    }

    /** With this source of jitter (a seeded one in tests). */
    ReconnectBackoff(Duration min, Duration max, RandomGenerator random) {
        this.minMillis = Math.max(1, min.toMillis());
        this.maxMillis = Math.max(minMillis, max.toMillis());
        this.random = random;
    }

    /** The delay before the next attempt: between half and all of min·2^failures, capped. */
    long nextDelayMillis() {
        long ceiling = minMillis << Math.min(failures, 30);
        ceiling = Math.min(maxMillis, ceiling <= 0 ? maxMillis : ceiling);
        failures++;
        return ceiling / 2 + random.nextLong(ceiling / 2 + 1);
    }

    void reset() {
        failures = 0;
    }
}
