package io.headroom.agent.schedule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request at a time for every device on a transport: the lane's work runs on one worker thread
 * at a time (borrowed from the pool while there is work, returned when the lane is idle). Commands
 * come first, in submission order, since they are urgent (curtailment); then due polls,
 * earliest deadline first, so that a device whose deadlines come often cannot push the others back.
 * A device has at most one poll here at a time (its {@link PolledDevice} skips a deadline while one is
 * pending), so a busy lane never piles up work.
 */
final class Lane {
    private static final Logger logger = LoggerFactory.getLogger(Lane.class);

    /** Work on a lane. */
    interface Work {
        /** Talks to the device. Returns normally; the lane logs whatever it throws. */
        void run();

        /** The work will not run (scheduler closing); complete whatever waits for it. */
        void abort();
    }

    private final String key;
    private final Executor workers;
    // Guarded by "this".
    private final Deque<Work> commands = new ArrayDeque<>();
    private final PriorityQueue<QueuedPoll> polls = new PriorityQueue<>();
    private long sequence;
    private boolean draining;
    private boolean closed;

    Lane(String key, Executor workers) {
        this.key = key;
        this.workers = workers;
    }

    String key() {
        return key;
    }

    /** Queues a command behind the request now running and the commands already queued, ahead of every poll. */
    void submitCommand(Work command) {
        boolean accepted;
        synchronized (this) {
            accepted = !closed && commands.add(command);
        }
        afterSubmit(command, accepted);
    }

    /** Queues a poll due at {@code deadlineNanos} (monotonic): earliest deadline first, ties in submission order. */
    void submitPoll(Work poll, long deadlineNanos) {
        boolean accepted;
        synchronized (this) {
            accepted = !closed && polls.add(new QueuedPoll(poll, deadlineNanos, sequence++));
        }
        afterSubmit(poll, accepted);
    }

    private void afterSubmit(Work work, boolean accepted) {
        if (!accepted) {
            work.abort();
            return;
        }
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            workers.execute(this::drain);
        } catch (RejectedExecutionException e) {
            close(); // the pool is shutting down: so is the scheduler
        }
    }

    /** Refuses new work and aborts what is queued; the request now running, if any, is left to its thread. */
    void close() {
        List<Work> dropped = new ArrayList<>();
        synchronized (this) {
            closed = true;
            draining = false;
            dropped.addAll(commands);
            polls.forEach(p -> dropped.add(p.work()));
            commands.clear();
            polls.clear();
        }
        dropped.forEach(Work::abort);
    }

    private void drain() {
        while (true) {
            Work work;
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (Thread.currentThread().isInterrupted()) {
                    draining = false;
                    break; // only the pool's shutdown interrupts: abort the rest below
                }
                work = commands.poll();
                if (work == null) {
                    QueuedPoll poll = polls.poll();
                    work = poll == null ? null : poll.work();
                }
                if (work == null) {
                    draining = false;
                    return;
                }
            }
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                logger.error("lane {}: work failed", key, e);
            }
        }
        close();
    }

    private record QueuedPoll(Work work, long deadlineNanos, long seq) implements Comparable<QueuedPoll> {
        @Override
        public int compareTo(QueuedPoll other) {
            // Monotonic readings compare by subtraction; the queued deadlines lie within a few intervals.
            int byDeadline = Long.signum(deadlineNanos - other.deadlineNanos);
            return byDeadline != 0 ? byDeadline : Long.compare(seq, other.seq);
        }
    }
}
