package io.headroom.agent.schedule;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.agent.time.TaskTimer;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device on its lane: its own deadline, jitter, backoff and meters. Its timer tick only queues a
 * poll on the lane, and only when the previous one has finished; otherwise the deadline is skipped
 * and counted, whether the previous poll is still running or still waiting for the lane.
 */
final class PolledDevice {
    private static final Logger logger = LoggerFactory.getLogger(PolledDevice.class);
    private static final long MAX_JITTER_NANOS = Duration.ofMillis(100).toNanos();
    /** Interval doublings before the cap: 3 for a cap of 8×. */
    private static final int BACKOFF_STEPS = Integer.numberOfTrailingZeros(PollScheduler.MAX_BACKOFF);

    final String id;
    final Driver driver;
    final Lane lane;
    private final RawReplyRecorder replies;
    private final long configuredIntervalNanos;
    private final Timing timing;
    private final PollListener listener;
    private final MeterRegistry registry;
    private final Timer duration;
    private final Counter skipped;
    private final Map<String, Counter> errors = Collections.synchronizedMap(new LinkedHashMap<>());
    // Guarded by "this".
    private boolean stopped;
    private boolean pollPending;
    private long nominalNanos;
    private TaskTimer.Scheduled nextTick;
    private int consecutiveOffline;
    // Written on the lane only.
    private volatile Instant lastSuccess;
    private DeviceHealth lastHealth = DeviceHealth.DEVICE_HEALTH_UNSPECIFIED;

    PolledDevice(ScheduledDevice device, Lane lane, Timing timing, PollListener listener, MeterRegistry registry) {
        this.id = device.config().id();
        this.driver = device.driver();
        this.replies = device.replies();
        this.lane = lane;
        this.configuredIntervalNanos = device.config().pollInterval().toNanos();
        this.timing = timing;
        this.listener = listener;
        this.registry = registry;
        this.duration = Timer.builder("headroom.agent.poll.duration")
                .tag("device", id)
                .description("Time one poll of a device took")
                .register(registry);
        this.skipped = Counter.builder("headroom.agent.poll.skipped")
                .tag("device", id)
                .description("Poll deadlines skipped because the device's previous poll was still running "
                        + "or still waiting for its lane")
                .register(registry);
        Gauge.builder("headroom.agent.poll.last.success.age.seconds", this, PolledDevice::lastSuccessAgeSeconds)
                .tag("device", id)
                .description("Seconds since the device's last poll that was not OFFLINE")
                .register(registry);
    }

    double lastSuccessAgeSeconds() {
        Instant last = lastSuccess;
        return last == null
                ? Double.NaN
                : Duration.between(last, timing.wall().instant()).toMillis() / 1000.0;
    }

    /** Arms the first deadline at a random point of the first interval, so devices do not all start together. */
    synchronized void start(long nowNanos) {
        nominalNanos = nowNanos + timing.random().nextLong(Math.max(1, configuredIntervalNanos));
        arm(nominalNanos - nowNanos);
    }

    /** No deadline fires any more, and a poll that finishes from now on is not reported. */
    synchronized void stop() {
        stopped = true;
        if (nextTick != null) {
            nextTick.cancel();
        }
    }

    synchronized long intervalNanos() {
        return configuredIntervalNanos << Math.min(consecutiveOffline, BACKOFF_STEPS);
    }

    /** Arms the timer for the deadline {@code nominal} (monotonic), plus jitter. */
    private synchronized void scheduleAt(long nominal) {
        nominalNanos = nominal;
        long jitterBound = Math.min(configuredIntervalNanos / 50, MAX_JITTER_NANOS);
        long jitter = jitterBound > 0 ? timing.random().nextLong(-jitterBound, jitterBound + 1) : 0;
        arm(nominal + jitter - timing.monotonic().nanoTime());
    }

    private synchronized void arm(long delayNanos) {
        if (!stopped) {
            nextTick = timing.timer().schedule(this::tick, Math.max(0, delayNanos));
        }
    }

    /** A deadline: arm the next one, then queue a poll on the lane unless the previous one is pending. */
    private void tick() {
        long deadline;
        synchronized (this) {
            if (stopped) {
                return;
            }
            deadline = nominalNanos;
            long next = deadline + intervalNanos();
            long now = timing.monotonic().nanoTime();
            if (next - now < 0) {
                next = now + intervalNanos(); // fell far behind (suspend, overload): re-anchor
            }
            scheduleAt(next);
            if (pollPending) {
                skipped.increment();
                logger.debug(
                        "device {}: previous poll still running or waiting for lane {}, deadline skipped",
                        id,
                        lane.key());
                return;
            }
            pollPending = true;
        }
        lane.submitPoll(new PollWork(deadline), deadline);
    }

    /** Queues a command on the lane, ahead of its polls. The future never completes exceptionally. */
    CompletableFuture<CommandOutcome> execute(Verb verb, double value, String instance, long deadlineNanos) {
        CommandWork work = new CommandWork(verb, value, instance, deadlineNanos);
        lane.submitCommand(work);
        return work.future;
    }

    private synchronized void pollDone() {
        pollPending = false;
    }

    private Counter errorCounter(String reason) {
        return errors.computeIfAbsent(
                reason,
                r -> Counter.builder("headroom.agent.poll.errors")
                        .tag("device", id)
                        .tag("reason", r)
                        .description("Polls that were not ONLINE, by reason")
                        .register(registry));
    }

    /** Keeps metric tags bounded: a reason must look like one of the drivers' reason codes. */
    private static String tagReason(String reason) {
        return reason.matches("[a-z][a-z0-9-]{0,31}") ? reason : "other";
    }

    /**
     * After a poll: meters, a log line when health changes, backoff (the next deadline re-armed when the
     * interval changed), then the listener. The listener is called last, so by the time it has seen a
     * result, the deadline that follows is armed.
     */
    private void finished(long deadline, PollResult result) {
        DeviceHealth health = result.health();
        if (health != DeviceHealth.DEVICE_HEALTH_ONLINE) {
            errorCounter(tagReason(result.reason())).increment();
        }
        if (health != DeviceHealth.DEVICE_HEALTH_OFFLINE) {
            lastSuccess = timing.wall().instant();
        }
        if (health != lastHealth) {
            String name = health.name().replace("DEVICE_HEALTH_", "").toLowerCase(Locale.ROOT);
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
            boolean intervalChanged = Math.min(before, BACKOFF_STEPS) != Math.min(consecutiveOffline, BACKOFF_STEPS);
            if (intervalChanged && nextTick != null && nextTick.cancel()) {
                long next = deadline + intervalNanos();
                long now = timing.monotonic().nanoTime();
                scheduleAt(next - now < 0 ? now + intervalNanos() : next);
            }
        }
        try {
            listener.polled(id, result);
        } catch (RuntimeException e) {
            errorCounter("listener-exception").increment();
            logger.warn("device {}: poll listener failed", id, e);
        }
    }

    private synchronized boolean stopped() {
        return stopped;
    }

    private final class PollWork implements Lane.Work {
        private final long deadline;

        PollWork(long deadline) {
            this.deadline = deadline;
        }

        @Override
        public void run() {
            long begin = timing.monotonic().nanoTime();
            PollResult result;
            replies.pollStarted();
            try {
                result = driver.poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pollDone();
                return; // only happens when the scheduler is closing
            } catch (RuntimeException | Error e) {
                logger.warn("device {}: driver threw during poll", id, e);
                result = PollResult.offline(timing.wall().instant(), "driver-exception", "driver failed: " + e);
            } finally {
                replies.pollEnded();
                duration.record(timing.monotonic().nanoTime() - begin, TimeUnit.NANOSECONDS);
            }
            if (stopped()) {
                pollDone();
                return;
            }
            finished(deadline, result);
        }

        @Override
        public void abort() {
            pollDone();
        }
    }

    private final class CommandWork implements Lane.Work {
        final CompletableFuture<CommandOutcome> future = new CompletableFuture<>();
        private final Verb verb;
        private final double value;
        private final String instance;
        private final long deadlineNanos;

        CommandWork(Verb verb, double value, String instance, long deadlineNanos) {
            this.verb = verb;
            this.value = value;
            this.instance = instance;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public void run() {
            if (deadlineNanos != Long.MAX_VALUE && timing.monotonic().nanoTime() - deadlineNanos > 0) {
                future.complete(new CommandOutcome(
                        ResultStatus.RESULT_STATUS_REJECTED,
                        "expired",
                        verb + " waited past its deadline behind lane " + lane.key() + "'s work; not sent",
                        OptionalDouble.empty()));
                return;
            }
            try {
                future.complete(driver.execute(verb, value, instance));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                future.complete(PollScheduler.failed("closed", "interrupted while running " + verb));
            } catch (RuntimeException | Error e) {
                logger.warn("device {}: driver threw on {}", id, verb, e);
                future.complete(PollScheduler.failed("driver-error", verb + " failed inside the driver: " + e));
            }
        }

        @Override
        public void abort() {
            future.complete(PollScheduler.failed("closed", "agent stopping before " + verb + " ran"));
        }
    }
}
