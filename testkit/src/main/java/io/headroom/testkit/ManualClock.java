package io.headroom.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wall and monotonic time that move only when a test says so, together: {@link #instant()} (this is a
 * {@link Clock}) and {@link #nanoTime()} advance by the same step. {@link ManualTimer}s made on this
 * clock run their tasks as it passes their due times, so a test steps time and then waits for the
 * effect (a latch, an awaitility condition), never for a wall duration.
 *
 * <p>The test kit depends on no production module, so this is not the agent's or the controller's
 * clock type; their clock interfaces are functional and adapt with a method reference
 * ({@code MonotonicClock mono = manual::nanoTime}).
 *
 * <p>Thread-safe: time is read from any thread; {@link #advance} calls are serialized, and the timer
 * tasks they run execute on the advancing thread, one at a time, with the clock set to each task's
 * due time while it runs. A task's exception propagates out of {@code advance}, the task dropped.
 */
public final class ManualClock extends Clock {
    /** Midnight UTC, 2025-01-01: a fixed, recognizable start. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

    private final Instant wallStart;
    private final long nanoStart;
    private final ZoneId zone;
    private final State state;

    /** Starts at {@link #DEFAULT_START} and monotonic reading 0. */
    public ManualClock() {
        this(DEFAULT_START, 0);
    }

    /**
     * @param wallStart what {@link #instant()} answers before the first step
     * @param nanoStart what {@link #nanoTime()} answers before the first step; any value, a value
     *     near {@link Long#MAX_VALUE} checks that the code under test compares readings by subtraction
     */
    public ManualClock(Instant wallStart, long nanoStart) {
        this(Objects.requireNonNull(wallStart, "wallStart"), nanoStart, ZoneOffset.UTC, new State());
    }

    private ManualClock(Instant wallStart, long nanoStart, ZoneId zone, State state) {
        this.wallStart = wallStart;
        this.nanoStart = nanoStart;
        this.zone = zone;
        this.state = state;
    }

    /** Shared by a clock and its {@link #withZone} views. */
    private static final class State {
        final ReentrantLock advancing = new ReentrantLock();
        final List<ManualTimer> timers = new CopyOnWriteArrayList<>();
        volatile long elapsedNanos;
    }

    /** Monotonic reading, like {@link System#nanoTime()}: compare readings by subtraction only. */
    public long nanoTime() {
        return nanoStart + state.elapsedNanos;
    }

    /** Time stepped since the clock was made. */
    public Duration elapsed() {
        return Duration.ofNanos(state.elapsedNanos);
    }

    @Override
    public Instant instant() {
        return wallStart.plusNanos(state.elapsedNanos);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view in another zone that shares this clock's time and timers. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new ManualClock(wallStart, nanoStart, Objects.requireNonNull(zone, "zone"), state);
    }

    /** A timer whose tasks run when this clock passes their due time. */
    public ManualTimer newTimer() {
        ManualTimer timer = new ManualTimer(this);
        state.timers.add(timer);
        return timer;
    }

    /**
     * Moves time forward by {@code step} (zero allowed: runs the tasks already due), running every
     * timer task that falls due on the way in due-time order, each at its own due time; tasks those
     * tasks schedule within the step run too. Returns once the clock reads the target time.
     *
     * @throws IllegalArgumentException when {@code step} is negative
     */
    public void advance(Duration step) {
        Objects.requireNonNull(step, "step");
        if (step.isNegative()) {
            throw new IllegalArgumentException("step: must not be negative, got " + step);
        }
        state.advancing.lock();
        try {
            long target = state.elapsedNanos + step.toNanos();
            while (true) {
                ManualTimer earliest = null;
                long due = Long.MAX_VALUE;
                for (ManualTimer timer : state.timers) {
                    long next = timer.nextDueElapsed();
                    if (next <= target && (earliest == null || next < due)) {
                        earliest = timer;
                        due = next;
                    }
                }
                if (earliest == null) {
                    break;
                }
                if (due > state.elapsedNanos) {
                    state.elapsedNanos = due;
                }
                earliest.runOneDue(state.elapsedNanos);
            }
            state.elapsedNanos = target;
        } finally {
            state.advancing.unlock();
        }
    }

    long elapsedNanos() {
        return state.elapsedNanos;
    }

    long nanoTimeAt(long elapsed) {
        return nanoStart + elapsed;
    }
}
