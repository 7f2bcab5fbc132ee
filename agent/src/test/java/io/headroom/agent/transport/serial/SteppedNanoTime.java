package io.headroom.agent.transport.serial;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A monotonic clock that moves only when the test says, and counts how often it was read. */
final class SteppedNanoTime implements LongSupplier {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicLong reads = new AtomicLong();

    @Override
    public long getAsLong() {
        reads.incrementAndGet();
        return now.get();
    }

    void advance(Duration step) {
        now.addAndGet(step.toNanos());
    }

    /** How often the clock has been read, to see a waiting loop go round. */
    long reads() {
        return reads.get();
    }
}
