package io.headroom.agent.time;

/**
 * Runs a task once after a delay on the timer's own thread. Tasks must be quick and must not block:
 * they share that thread with every other task of the timer (hand blocking work to a worker).
 *
 * <p>A functional interface, like {@link MonotonicClock}, so a test timer adapts with a lambda:
 * {@code TaskTimer t = (task, delay) -> manual.schedule(task, delay)::cancel}.
 */
@FunctionalInterface
public interface TaskTimer {

    /**
     * Schedules {@code task} to run once, {@code delayNanos} from now on the timer's clock (zero or
     * negative: as soon as possible). A task scheduled after the timer was shut down never runs; the
     * returned handle's {@code cancel()} then answers {@code false}.
     */
    Scheduled schedule(Runnable task, long delayNanos);

    /** A scheduled task. */
    @FunctionalInterface
    interface Scheduled {
        /** Keeps the task from running: {@code true} when that happened, {@code false} if it ran or was cancelled. */
        boolean cancel();
    }
}
