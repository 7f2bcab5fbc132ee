package io.headroom.agent.schedule;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every device on its own deadline and runs commands on the same per-device lane.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>one deadline per device: poll starts are {@code poll-interval} apart (plus a small jitter),
 *       whatever the poll takes; the first poll of each device is spread at random over its interval
 *       so that devices do not all start together;
 *   <li>a poll still running at its next deadline is not queued again: that deadline is skipped and
 *       counted ({@code headroom.agent.poll.skipped});
 *   <li>after consecutive OFFLINE polls a device's interval doubles, up to {@value #MAX_BACKOFF}× the
 *       configured one; the first poll that is not OFFLINE restores it;
 *   <li>one slow or hung device never delays another: a timing thread only dispatches, and polls
 *       run on a worker pool with one thread available per device (capped at {@value #MAX_WORKERS});
 *   <li>a device's polls, commands and listener calls run one at a time, in submission order;
 *   <li>nothing a driver or the listener throws stops polling: it is caught, counted and logged.
 * </ul>
 *
 * <p>Meters, each tagged {@code device}: {@code headroom.agent.poll.duration} (timer),
 * {@code headroom.agent.poll.errors} (counter, also tagged {@code reason}: the result's reason for
 * DEGRADED and OFFLINE polls; {@code driver-exception} when the driver threw, which the listener
 * also sees as an OFFLINE result; {@code listener-exception} when the listener threw),
 * {@code headroom.agent.poll.skipped} (counter) and
 * {@code headroom.agent.poll.last.success.age.seconds} (gauge, NaN before the first poll that
 * was not OFFLINE).
 */
public final class PollScheduler implements AutoCloseable {

    /** Largest backoff factor of a device's poll interval. */
    public static final int MAX_BACKOFF = 8;

    /** Most worker threads; beyond this many devices, hung devices could queue behind each other. */
    public static final int MAX_WORKERS = 256;

    private static final Logger logger = LoggerFactory.getLogger(PollScheduler.class);
    private static final Duration MAX_JITTER = Duration.ofMillis(100);

    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final PollListener listener;
    private final Clock clock;
    private final MeterRegistry registry;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor workers;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    public PollScheduler(List<ScheduledDevice> devices, PollListener listener, Clock clock, MeterRegistry registry) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.registry = Objects.requireNonNull(registry, "registry");
        for (ScheduledDevice device : devices) {
            if (lanes.put(device.config().id(), new Lane(device)) != null) {
                throw new IllegalArgumentException("devices: duplicate id " + device.config().id());
            }
        }
        timer = new ScheduledThreadPoolExecutor(1, threads("headroom-poll-timer"));
        timer.setRemoveOnCancelPolicy(true);
        int size = Math.max(1, Math.min(lanes.size(), MAX_WORKERS));
        workers = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads("headroom-poll-worker"));
        workers.allowCoreThreadTimeOut(true);
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Starts polling every device, the first poll of each at a random point within its interval.
     *
     * @throws IllegalStateException when already started or closed
     */
    public void start() {
        if (closed.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("poll scheduler already " + (closed.get() ? "closed" : "started"));
        }
        long now = System.nanoTime();
        for (Lane lane : lanes.values()) {
            long interval = lane.configuredIntervalNanos;
            lane.scheduleAt(now + ThreadLocalRandom.current().nextLong(Math.max(1, interval)));
        }
        logger.info("polling {} devices with up to {} workers", lanes.size(), workers.getMaximumPoolSize());
    }

    /**
     * Runs a command on the device's driver, never concurrently with its poll; completes with the
     * outcome (FAILED "unknown-device" for an unknown id, FAILED "closed" once the scheduler closes).
     * The future never completes exceptionally.
     */
    public CompletableFuture<CommandOutcome> execute(String deviceId, Verb verb, double value) {
        return execute(deviceId, verb, value, Long.MAX_VALUE);
    }

    /**
     * As {@link #execute(String, Verb, double)}, but a command still queued behind the device's
     * poll when {@code System.nanoTime()} passes {@code deadlineNanos} is not run: it completes
     * REJECTED "expired" without touching the device. A stale set-point must never reach a device.
     */
    public CompletableFuture<CommandOutcome> execute(String deviceId, Verb verb, double value, long deadlineNanos) {
        return execute(deviceId, verb, value, "", deadlineNanos);
    }

    /** As {@link #execute(String, Verb, double, long)}, for the {@code instance} of the device (an outlet, a point). */
    public CompletableFuture<CommandOutcome> execute(String deviceId, Verb verb, double value, String instance,
            long deadlineNanos) {
        Lane lane = lanes.get(deviceId);
        if (lane == null) {
            return CompletableFuture.completedFuture(failed("unknown-device", "no device " + deviceId + " on this agent"));
        }
        CommandTask task = new CommandTask(lane, verb, value, instance, deadlineNanos);
        lane.submit(task);
        return task.future;
    }

    /** Stops polling, fails queued commands with "closed", and closes every driver. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timer.shutdownNow();
        for (Lane lane : lanes.values()) {
            lane.abortQueued();
            try {
                lane.device.driver().close();
            } catch (RuntimeException e) {
                logger.warn("device {}: closing its driver failed", lane.id, e);
            }
        }
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
                logger.warn("poll workers still busy 2 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CommandOutcome failed(String reason, String message) {
        return new CommandOutcome(ResultStatus.RESULT_STATUS_FAILED, reason, message, OptionalDouble.empty());
    }

    /** Keeps metric tags bounded: a reason must look like one of the drivers' reason codes. */
    private static String tagReason(String reason) {
        return reason.matches("[a-z][a-z0-9-]{0,31}") ? reason : "other";
    }

    /** Work on a device's lane. */
    private interface LaneTask extends Runnable {
        /** The task will not run (scheduler closing). */
        void abort();
    }

    private final class CommandTask implements LaneTask {
        final CompletableFuture<CommandOutcome> future = new CompletableFuture<>();
        private final Lane lane;
        private final Verb verb;
        private final double value;
        private final String instance;
        private final long deadlineNanos;

        CommandTask(Lane lane, Verb verb, double value, String instance, long deadlineNanos) {
            this.lane = lane;
            this.verb = verb;
            this.value = value;
            this.instance = instance;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public void run() {
            if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
                future.complete(new CommandOutcome(ResultStatus.RESULT_STATUS_REJECTED, "expired",
                        verb + " waited past its deadline behind the device's poll; not sent", OptionalDouble.empty()));
                return;
            }
            try {
                future.complete(lane.device.driver().execute(verb, value, instance));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                future.complete(failed("closed", "interrupted while running " + verb));
            } catch (RuntimeException | Error e) {
                logger.warn("device {}: driver threw on {}", lane.id, verb, e);
                future.complete(failed("driver-error", verb + " failed inside the driver: " + e));
            }
        }

        @Override
        public void abort() {
            future.complete(failed("closed", "agent stopping before " + verb + " ran"));
        }
    }

    /** One device: its deadline, its serial queue of work, its backoff and its meters. */
    private final class Lane {
        final ScheduledDevice device;
        final String id;
        final long configuredIntervalNanos;
        private final Deque<LaneTask> queue = new ArrayDeque<>();
        private final Timer duration;
        private final Counter skipped;
        private final Map<String, Counter> errors = Collections.synchronizedMap(new LinkedHashMap<>());
        // Guarded by "this".
        private boolean draining;
        private boolean pollPending;
        private long nominalNanos;
        private ScheduledFuture<?> nextTick;
        private int consecutiveOffline;
        // Written by the lane's worker only.
        private volatile Instant lastSuccess;
        private DeviceHealth lastHealth = DeviceHealth.DEVICE_HEALTH_UNSPECIFIED;

        Lane(ScheduledDevice device) {
            this.device = device;
            this.id = device.config().id();
            this.configuredIntervalNanos = device.config().pollInterval().toNanos();
            this.duration = Timer.builder("headroom.agent.poll.duration").tag("device", id)
                    .description("Time one poll of a device took").register(registry);
            this.skipped = Counter.builder("headroom.agent.poll.skipped").tag("device", id)
                    .description("Poll deadlines skipped because the previous poll was still running")
                    .register(registry);
            Gauge.builder("headroom.agent.poll.last.success.age.seconds", this, Lane::lastSuccessAgeSeconds)
                    .tag("device", id).description("Seconds since the device's last poll that was not OFFLINE")
                    .register(registry);
        }

        double lastSuccessAgeSeconds() {
            Instant last = lastSuccess;
            return last == null ? Double.NaN : Duration.between(last, clock.instant()).toMillis() / 1000.0;
        }

        synchronized long intervalNanos() {
            return configuredIntervalNanos << Math.min(consecutiveOffline, Integer.numberOfTrailingZeros(MAX_BACKOFF));
        }

        /** Arms the timer for the deadline {@code nominal} (System.nanoTime based), plus jitter. */
        synchronized void scheduleAt(long nominal) {
            if (closed.get()) {
                return;
            }
            nominalNanos = nominal;
            long jitterBound = Math.min(configuredIntervalNanos / 50, MAX_JITTER.toNanos());
            long jitter = jitterBound > 0 ? ThreadLocalRandom.current().nextLong(-jitterBound, jitterBound + 1) : 0;
            long delay = Math.max(0, nominal + jitter - System.nanoTime());
            try {
                nextTick = timer.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }

        /** A deadline: arm the next one, then start a poll unless one is still pending. */
        void tick() {
            long start;
            synchronized (this) {
                if (closed.get()) {
                    return;
                }
                start = nominalNanos;
                long next = start + intervalNanos();
                long now = System.nanoTime();
                if (next < now) {
                    next = now + intervalNanos();   // fell far behind (suspend, overload): re-anchor
                }
                scheduleAt(next);
                if (pollPending) {
                    skipped.increment();
                    logger.debug("device {}: previous poll still running, deadline skipped", id);
                    return;
                }
                pollPending = true;
            }
            submit(new PollTask(start));
        }

        void submit(LaneTask task) {
            synchronized (this) {
                if (closed.get()) {
                    task.abort();
                    return;
                }
                queue.add(task);
                if (draining) {
                    return;
                }
                draining = true;
            }
            try {
                workers.execute(this::drain);
            } catch (RejectedExecutionException e) {
                abortQueued();
            }
        }

        private void drain() {
            while (true) {
                LaneTask task;
                synchronized (this) {
                    task = queue.poll();
                    if (task == null || Thread.currentThread().isInterrupted()) {
                        draining = false;
                        if (task != null) {
                            task.abort();
                        }
                        return;
                    }
                }
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    logger.error("device {}: lane task failed", id, e);
                }
            }
        }

        void abortQueued() {
            List<LaneTask> dropped;
            synchronized (this) {
                dropped = new ArrayList<>(queue);
                queue.clear();
            }
            dropped.forEach(LaneTask::abort);
        }

        Counter errorCounter(String reason) {
            return errors.computeIfAbsent(reason, r -> Counter.builder("headroom.agent.poll.errors")
                    .tag("device", id).tag("reason", r)
                    .description("Polls that were not ONLINE, by reason").register(registry));
        }

        /** After a poll: meters, backoff, a log line when health changes, then the listener. */
        void finished(long nominalStart, PollResult result) {
            DeviceHealth health = result.health();
            if (health != DeviceHealth.DEVICE_HEALTH_ONLINE) {
                errorCounter(tagReason(result.reason())).increment();
            }
            if (health != DeviceHealth.DEVICE_HEALTH_OFFLINE) {
                lastSuccess = clock.instant();
            }
            if (health != lastHealth) {
                String name = health.name().replace("DEVICE_HEALTH_", "").toLowerCase(java.util.Locale.ROOT);
                if (health == DeviceHealth.DEVICE_HEALTH_ONLINE) {
                    logger.info("device {}: {}", id, name);
                } else {
                    logger.warn("device {}: {} ({}: {})", id, name, result.reason(), result.message());
                }
                lastHealth = health;
            }
            synchronized (this) {
                pollPending = false;
                int before = consecutiveOffline;
                consecutiveOffline = health == DeviceHealth.DEVICE_HEALTH_OFFLINE ? consecutiveOffline + 1 : 0;
                boolean intervalChanged = Math.min(before, 3) != Math.min(consecutiveOffline, 3);
                if (intervalChanged && nextTick != null && nextTick.cancel(false)) {
                    scheduleAt(nominalStart + intervalNanos());
                }
            }
            try {
                listener.polled(id, result);
            } catch (RuntimeException e) {
                errorCounter("listener-exception").increment();
                logger.warn("device {}: poll listener failed", id, e);
            }
        }

        private final class PollTask implements LaneTask {
            private final long nominalStart;

            PollTask(long nominalStart) {
                this.nominalStart = nominalStart;
            }

            @Override
            public void run() {
                Driver driver = device.driver();
                long begin = System.nanoTime();
                PollResult result;
                try {
                    result = driver.poll();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    synchronized (Lane.this) {
                        pollPending = false;
                    }
                    return;   // only happens when the scheduler is closing
                } catch (RuntimeException | Error e) {
                    logger.warn("device {}: driver threw during poll", id, e);
                    result = PollResult.offline(clock.instant(), "driver-exception", "driver failed: " + e);
                } finally {
                    duration.record(System.nanoTime() - begin, TimeUnit.NANOSECONDS);
                }
                if (closed.get()) {
                    synchronized (Lane.this) {
                        pollPending = false;
                    }
                    return;
                }
                finished(nominalStart, result);
            }

            @Override
            public void abort() {
                synchronized (Lane.this) {
                    pollPending = false;
                }
            }
        }
    }
}
