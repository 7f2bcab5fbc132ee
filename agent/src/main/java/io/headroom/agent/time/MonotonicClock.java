package io.headroom.agent.time;

/**
 * Elapsed time for deadlines and intervals, immune to wall-clock steps (NTP, an operator's
 * {@code date -s}). Readings are only comparable with each other, by subtraction
 * ({@code a - b > 0}, never {@code a > b}), exactly like {@link System#nanoTime()}.
 *
 * <p>A functional interface so that any {@code long nanoTime()} source adapts with a method
 * reference, for example a test clock from the test kit: {@code MonotonicClock c = manual::nanoTime}.
 */
@FunctionalInterface
public interface MonotonicClock {

    /** Nanoseconds since an arbitrary, fixed origin. */
    long nanoTime();

    /** {@link System#nanoTime()}. */
    static MonotonicClock system() {
        return System::nanoTime;
    }
}
