package io.headroom.agent.schedule;

import java.util.function.LongBinaryOperator;
import java.util.random.RandomGenerator;

/**
 * A "random" source whose every bounded draw is a function of its range, so a test knows each
 * first-poll offset and each jitter in advance.
 */
final class ScriptedRandom implements RandomGenerator {
    /** Every draw is the value of its range nearest zero: first polls at start, no jitter. */
    static final ScriptedRandom ZERO = new ScriptedRandom((origin, bound) -> Math.max(origin, Math.min(0, bound - 1)));

    private final LongBinaryOperator draw;

    /** @param draw (origin inclusive, bound exclusive) → the value to answer, within the range */
    ScriptedRandom(LongBinaryOperator draw) {
        this.draw = draw;
    }

    @Override
    public long nextLong() {
        return draw.applyAsLong(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public long nextLong(long bound) {
        return nextLong(0, bound);
    }

    @Override
    public long nextLong(long origin, long bound) {
        long value = draw.applyAsLong(origin, bound);
        if (value < origin || value >= bound) {
            throw new IllegalStateException("scripted draw " + value + " outside [" + origin + ", " + bound + ")");
        }
        return value;
    }
}
