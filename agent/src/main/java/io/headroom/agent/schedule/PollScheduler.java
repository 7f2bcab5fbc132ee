package io.headroom.agent.schedule;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.agent.time.SystemTaskTimer;
import io.headroom.agent.time.TaskTimer;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every device on its own deadline and runs commands, on lanes: a lane is one transport that
 * carries one request at a time (a device's own TCP connection, or one Modbus RTU bus shared by all
 * its slaves); the driver's builder names it ({@link ScheduledDevice#lane()}).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>one request at a time per lane: the polls and commands of all the devices on a lane never run
 *       concurrently, and neither do their listener calls;
 *   <li>one deadline per device, whatever lane it is on: poll starts are {@code poll-interval} apart
 *       (plus a jitter of up to 2 % of the interval, at most 100 ms), whatever the poll takes; the
 *       first poll of each device is spread at random over its interval so that devices do not all
 *       start together;
 *   <li>a device has at most one poll queued or running: a deadline that comes while its previous
 *       poll is still running, or still waiting for its lane, is skipped and counted for that device
 *       ({@code headroom.agent.poll.skipped}), so a busy lane never piles up work;
 *   <li>on a lane, commands go first (they are urgent: curtailment), in submission order, right after
 *       the request now running; then due polls, earliest deadline first, so that one device cannot
 *       starve the others;
 *   <li>after consecutive OFFLINE polls a device's interval doubles, up to {@value #MAX_BACKOFF}× the
 *       configured one; the first poll that is not OFFLINE restores it. Only that device backs off,
 *       not the others on its lane;
 *   <li>one slow or hung lane never delays another: the timer only queues work, and lanes run on a
 *       worker pool with one thread available per lane (capped at {@value #MAX_WORKERS});
 *   <li>nothing a driver or the listener throws stops polling: it is caught, counted and logged;
 *   <li>{@link #close()} returns promptly even when a driver hangs: it closes the drivers, interrupts
 *       the workers and waits for them at most {@link #CLOSE_WAIT}.
 * </ul>
 *
 * <p>Time is injected: a {@link MonotonicClock} for deadlines and durations, a {@link TaskTimer} on
 * the same time base that fires each device's deadline, a wall {@link Clock} for timestamps and a
 * {@link RandomGenerator} for offsets and jitter. Driver I/O always runs on real worker threads.
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

    /** Most worker threads; beyond this many lanes, hung lanes could queue behind each other. */
    public static final int MAX_WORKERS = 256;

    /** Longest {@link #close()} waits for workers still inside a driver after interrupting them. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private static final Logger logger = LoggerFactory.getLogger(PollScheduler.class);

    private final Map<String, PolledDevice> devices = new LinkedHashMap<>();
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final Timing timing;
    private final SystemTaskTimer ownTimer;
    private final ThreadPoolExecutor workers;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** On system time: {@link System#nanoTime()}, a timer thread of its own, and {@link Random}. */
    public PollScheduler(List<ScheduledDevice> devices, PollListener listener, Clock clock, MeterRegistry registry) {
        this(
                devices,
                listener,
                new Timing(
                        Objects.requireNonNull(clock, "clock"),
                        MonotonicClock.system(),
                        new SystemTaskTimer("headroom-poll-timer"),
                        new Random()),
                registry,
                true);
    }

    /**
     * On injected time.
     *
     * @param wall timestamps (the last-success age)
     * @param monotonic deadlines and durations; a command deadline given to
     *     {@link #execute(String, Verb, double, long)} is a reading of this clock
     * @param timer fires each device's deadline, on {@code monotonic}'s time base; the scheduler
     *     cancels what it scheduled on close but does not close the timer
     * @param random first-poll offsets and jitter; must be safe to call from several threads
     */
    public PollScheduler(
            List<ScheduledDevice> devices,
            PollListener listener,
            Clock wall,
            MonotonicClock monotonic,
            TaskTimer timer,
            RandomGenerator random,
            MeterRegistry registry) {
        this(
                devices,
                listener,
                new Timing(
                        Objects.requireNonNull(wall, "wall"),
                        Objects.requireNonNull(monotonic, "monotonic"),
                        Objects.requireNonNull(timer, "timer"),
                        Objects.requireNonNull(random, "random")),
                registry,
                false);
    }

    private PollScheduler(
            List<ScheduledDevice> scheduled,
            PollListener listener,
            Timing timing,
            MeterRegistry registry,
            boolean ownsTimer) {
        Objects.requireNonNull(scheduled, "devices");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(registry, "registry");
        this.timing = timing;
        this.ownTimer = ownsTimer ? (SystemTaskTimer) timing.timer() : null;
        long laneCount =
                scheduled.stream().map(ScheduledDevice::lane).distinct().count();
        int size = (int) Math.max(1, Math.min(laneCount, MAX_WORKERS));
        workers = new ThreadPoolExecutor(
                size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads("headroom-poll-worker"));
        workers.allowCoreThreadTimeOut(true);
        for (ScheduledDevice device : scheduled) {
            String id = device.config().id();
            if (devices.containsKey(id)) {
                closeOwnResources();
                throw new IllegalArgumentException("devices: duplicate id " + id);
            }
            Lane lane = lanes.computeIfAbsent(device.lane(), key -> new Lane(key, workers));
            devices.put(id, new PolledDevice(device, lane, timing, listener, registry));
        }
    }

    private void closeOwnResources() {
        workers.shutdownNow();
        if (ownTimer != null) {
            ownTimer.close();
        }
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
        long now = timing.monotonic().nanoTime();
        devices.values().forEach(device -> device.start(now));
        logger.info(
                "polling {} devices on {} lanes with up to {} workers",
                devices.size(),
                lanes.size(),
                workers.getMaximumPoolSize());
    }

    /**
     * Runs a command on the device's driver, on its lane: after the request now running there and the
     * commands queued before it, ahead of the lane's polls. Completes with the outcome (FAILED
     * "unknown-device" for an unknown id, FAILED "closed" once the scheduler closes). The future never
     * completes exceptionally.
     */
    public CompletableFuture<CommandOutcome> execute(String deviceId, Verb verb, double value) {
        return execute(deviceId, verb, value, Long.MAX_VALUE);
    }

    /**
     * As {@link #execute(String, Verb, double)}, but a command still queued on its lane when the
     * scheduler's monotonic clock passes {@code deadlineNanos} is not run: it completes REJECTED
     * "expired" without touching the device. A stale set-point must never reach a device.
     */
    public CompletableFuture<CommandOutcome> execute(String deviceId, Verb verb, double value, long deadlineNanos) {
        return execute(deviceId, verb, value, "", deadlineNanos);
    }

    /**
     * As {@link #execute(String, Verb, double, long)}, for one {@code instance} of the device (an outlet,
     * a point); empty for the device itself.
     */
    public CompletableFuture<CommandOutcome> execute(
            String deviceId, Verb verb, double value, String instance, long deadlineNanos) {
        PolledDevice device = devices.get(deviceId);
        if (device == null) {
            return CompletableFuture.completedFuture(
                    failed("unknown-device", "no device " + deviceId + " on this agent"));
        }
        return device.execute(verb, value, instance, deadlineNanos);
    }

    /**
     * Stops polling, fails queued commands with "closed", closes every driver, interrupts the workers
     * and waits for them at most {@link #CLOSE_WAIT}. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        devices.values().forEach(PolledDevice::stop);
        if (ownTimer != null) {
            ownTimer.close();
        }
        lanes.values().forEach(Lane::close);
        for (PolledDevice device : devices.values()) {
            try {
                device.driver.close(); // also unblocks a driver waiting on its socket
            } catch (RuntimeException e) {
                logger.warn("device {}: closing its driver failed", device.id, e);
            }
        }
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                logger.warn("poll workers still inside a driver {} after close", CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static CommandOutcome failed(String reason, String message) {
        return new CommandOutcome(ResultStatus.RESULT_STATUS_FAILED, reason, message, OptionalDouble.empty());
    }
}
