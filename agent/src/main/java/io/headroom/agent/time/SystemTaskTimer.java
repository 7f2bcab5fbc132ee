package io.headroom.agent.time;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TaskTimer} on {@link System#nanoTime()}: one daemon thread of a
 * {@link ScheduledThreadPoolExecutor}, cancelled tasks removed at once (a scheduler that re-arms
 * deadlines on every backoff change would otherwise fill the queue).
 */
public final class SystemTaskTimer implements TaskTimer, AutoCloseable {
    private static final AtomicInteger instances = new AtomicInteger();

    private final ScheduledThreadPoolExecutor executor;

    /** @param name the thread's name prefix, e.g. {@code headroom-poll-timer} */
    public SystemTaskTimer(String name) {
        Objects.requireNonNull(name, "name");
        String threadName = name + "-" + instances.incrementAndGet();
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Scheduled schedule(Runnable task, long delayNanos) {
        Objects.requireNonNull(task, "task");
        try {
            ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> false; // shut down: the task never runs
        }
    }

    /** Drops every pending task and stops the thread (a task already running finishes). Idempotent. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
