package io.headroom.agent.publish;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential reconnect delays from a minimum to a cap, with jitter so that a rack of agents
 * cut off together does not reconnect in lock-step (a thundering herd on the controller).
 */
final class ReconnectBackoff {
    private final long minMillis;
    private final long maxMillis;
    private int failures;

    ReconnectBackoff(Duration min, Duration max) {
        this.minMillis = Math.max(1, min.toMillis());
        this.maxMillis = Math.max(minMillis, max.toMillis());
    }

    /** The delay before the next attempt: between half and all of min·2^failures, capped. */
    long nextDelayMillis() {
        long ceiling = minMillis << Math.min(failures, 30);
        ceiling = Math.min(maxMillis, ceiling <= 0 ? maxMillis : ceiling);
        failures++;
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    void reset() {
        failures = 0;
    }
}
