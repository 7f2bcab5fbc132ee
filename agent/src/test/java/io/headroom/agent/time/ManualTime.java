package io.headroom.agent.time;

import io.headroom.testkit.ManualClock;
import io.headroom.testkit.ManualTimer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The test kit's manual clock and timer seen as the agent's time types: the test kit depends on no
 * production module, and the agent's interfaces are functional, so the adaptation is two lambdas.
 * Wall time, monotonic time and the timer move together, only on {@link #advance}.
 */
public final class ManualTime {
    /** Origin of the monotonic readings: one second short of overflow, so any test running past 1 s
     *  checks that the code compares readings by subtraction. */
    public static final long ORIGIN_NANOS =
            Long.MAX_VALUE - Duration.ofSeconds(1).toNanos();

    private final ManualClock clock = new ManualClock(ManualClock.DEFAULT_START, ORIGIN_NANOS);
    private final ManualTimer timer = clock.newTimer();
    private final MonotonicClock monotonic = clock::nanoTime;
    private final TaskTimer taskTimer = (task, delayNanos) -> timer.schedule(task, delayNanos)::cancel;

    public Clock wall() {
        return clock;
    }

    public MonotonicClock monotonic() {
        return monotonic;
    }

    public TaskTimer timer() {
        return taskTimer;
    }

    public ManualTimer manualTimer() {
        return timer;
    }

    public Instant instant() {
        return clock.instant();
    }

    public long nanoTime() {
        return clock.nanoTime();
    }

    /** Time stepped so far. */
    public Duration elapsed() {
        return clock.elapsed();
    }

    /** A monotonic reading as time since the start, e.g. a recorded poll start. */
    public Duration sinceStart(long nanoTime) {
        return Duration.ofNanos(nanoTime - ORIGIN_NANOS);
    }

    /** Steps time, running the timer tasks that fall due on the way. */
    public void advance(Duration step) {
        clock.advance(step);
    }

    /** Steps time to {@code sinceStart} after the start (not backwards). */
    public void advanceTo(Duration sinceStart) {
        clock.advance(sinceStart.minus(clock.elapsed()));
    }
}
