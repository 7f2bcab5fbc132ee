package io.headroom.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A timer on a {@link ManualClock}: a task runs when the clock is {@linkplain ManualClock#advance
 * advanced} to or past its due time, on the advancing thread, never before. Tasks due at the same
 * time run in the order they were scheduled. Made by {@link ManualClock#newTimer()}.
 *
 * <p>{@link #schedule} may be called from any thread. A production timer interface adapts with a
 * lambda, e.g. the agent's {@code TaskTimer t = (task, delay) -> manual.schedule(task, delay)::cancel}.
 */
public final class ManualTimer {
    private final ManualClock clock;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long sequence;

    ManualTimer(ManualClock clock) {
        this.clock = clock;
    }

    /** A scheduled task. */
    @FunctionalInterface
    public interface Scheduled {
        /** Keeps the task from running; {@code true} when that happened. */
        boolean cancel();
    }

    private final class Entry implements Comparable<Entry>, Scheduled {
        final long dueElapsed;
        final long seq;
        final Runnable task;

        Entry(long dueElapsed, long seq, Runnable task) {
            this.dueElapsed = dueElapsed;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Entry other) {
            int byDue = Long.compare(dueElapsed, other.dueElapsed);
            return byDue != 0 ? byDue : Long.compare(seq, other.seq);
        }

        @Override
        public boolean cancel() {
            synchronized (ManualTimer.this) {
                return queue.remove(this);
            }
        }
    }

    /** Schedules {@code task} {@code delayNanos} after the clock's current time (zero or negative: due now). */
    public Scheduled schedule(Runnable task, long delayNanos) {
        Objects.requireNonNull(task, "task");
        synchronized (this) {
            Entry entry = new Entry(clock.elapsedNanos() + Math.max(0, delayNanos), sequence++, task);
            queue.add(entry);
            return entry;
        }
    }

    /** As {@link #schedule(Runnable, long)}. */
    public Scheduled schedule(Runnable task, Duration delay) {
        return schedule(task, delay.toNanos());
    }

    /** Pending tasks' due times as {@link ManualClock#nanoTime()} readings, earliest first. */
    public synchronized List<Long> pendingDueNanos() {
        List<Entry> entries = new ArrayList<>(queue);
        entries.sort(null);
        List<Long> due = new ArrayList<>(entries.size());
        entries.forEach(e -> due.add(clock.nanoTimeAt(e.dueElapsed)));
        return due;
    }

    /** How many tasks wait to run. */
    public synchronized int pending() {
        return queue.size();
    }

    synchronized long nextDueElapsed() {
        Entry head = queue.peek();
        return head == null ? Long.MAX_VALUE : head.dueElapsed;
    }

    /** Runs the earliest task if it is due at {@code nowElapsed}; outside the lock, so it may schedule more. */
    void runOneDue(long nowElapsed) {
        Entry head;
        synchronized (this) {
            head = queue.peek();
            if (head == null || head.dueElapsed > nowElapsed) {
                return;
            }
            queue.poll();
        }
        head.task.run();
    }
}
