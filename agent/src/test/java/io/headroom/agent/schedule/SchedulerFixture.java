package io.headroom.agent.schedule;

import static org.awaitility.Awaitility.await;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.time.ManualTime;
import io.headroom.profiles.FirmwareProfile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * A scheduler on manual time with fake drivers. Tests step time, then wait for the effect on the
 * real worker threads (a condition, never a duration); nothing here measures wall time.
 */
final class SchedulerFixture implements AutoCloseable {
    static final FirmwareProfile PROFILE = TestDevices.profile("luxor/luxos");
    /** How long a condition may take to come true on the worker threads; a bound on a hang, not a timing. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    final ManualTime time = new ManualTime();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Map<String, List<PollResult>> results = new ConcurrentHashMap<>();
    private final List<PollScheduler> schedulers = new ArrayList<>();

    FakeDriver driver(String name, FakeDriver.Behaviour behaviour) {
        return new FakeDriver(name, behaviour, time.monotonic());
    }

    FakeDriver driver(String name, FakeDriver.Behaviour behaviour, FakeDriver.Probe probe) {
        return new FakeDriver(name, behaviour, time.monotonic(), probe);
    }

    /** A device on a lane of its own. */
    static ScheduledDevice device(Duration interval, FakeDriver driver) {
        return new ScheduledDevice(config(driver.name, interval), driver);
    }

    static ScheduledDevice device(String lane, Duration interval, FakeDriver driver) {
        return new ScheduledDevice(config(driver.name, interval), driver, lane);
    }

    private static DeviceConfig config(String id, Duration interval) {
        return TestDevices.cgminer(id, PROFILE.id(), "127.0.0.1", 4028, interval, interval);
    }

    PollScheduler scheduler(List<ScheduledDevice> devices, RandomGenerator random, PollListener listener) {
        PollScheduler scheduler =
                new PollScheduler(devices, listener, time.wall(), time.monotonic(), time.timer(), random, registry);
        schedulers.add(scheduler);
        return scheduler;
    }

    /** No first-poll spread, no jitter: every deadline known in advance. Results land in {@link #results}. */
    PollScheduler scheduler(List<ScheduledDevice> devices) {
        return scheduler(devices, ScriptedRandom.ZERO);
    }

    PollScheduler scheduler(List<ScheduledDevice> devices, RandomGenerator random) {
        return scheduler(
                devices,
                random,
                (id, result) -> results.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                        .add(result));
    }

    /** Results the listener has seen for a device; once it has seen one, that poll's backoff is applied. */
    int reported(String device) {
        return results.getOrDefault(device, List.of()).size();
    }

    double skipped(String device) {
        Counter counter = registry.find("headroom.agent.poll.skipped")
                .tag("device", device)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    double errors(String device, String reason) {
        Counter counter = registry.find("headroom.agent.poll.errors")
                .tags("device", device, "reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** Poll starts of a driver, as milliseconds since the start of manual time. */
    List<Long> startsMillis(FakeDriver driver) {
        return driver.pollStarts.stream()
                .map(t -> time.sinceStart(t).toMillis())
                .toList();
    }

    /** Checks at once, then every 2 ms: most conditions are already true or a worker hand-off away. */
    static void awaitTrue(BooleanSupplier condition) {
        await().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .atMost(PATIENCE)
                .until(condition::getAsBoolean);
    }

    /**
     * Runs what is due now, then steps time by {@code step} up to {@code end}; before each step it waits
     * until every listed device has reported at least as many polls as it has deadlines so far, so no
     * step outruns a poll (and a poll's backoff is applied before the next step). Steps must fall on
     * the deadlines, so that each poll starts while the clock reads its deadline. The caller then checks
     * the recorded starts exactly.
     */
    void stepTo(Duration end, Duration step, Map<String, List<Long>> deadlinesMillis) {
        time.advance(Duration.ZERO);
        while (true) {
            long now = time.elapsed().toMillis();
            deadlinesMillis.forEach((id, deadlines) -> {
                long due = deadlines.stream().filter(d -> d <= now).count();
                awaitTrue(() -> reported(id) >= due);
            });
            if (time.elapsed().compareTo(end) >= 0) {
                return;
            }
            time.advance(step);
        }
    }

    /** Deadlines every {@code everyMillis} from 0 to {@code endMillis} inclusive. */
    static List<Long> every(long everyMillis, long endMillis) {
        List<Long> deadlines = new ArrayList<>();
        for (long t = 0; t <= endMillis; t += everyMillis) {
            deadlines.add(t);
        }
        return deadlines;
    }

    @Override
    public void close() {
        schedulers.forEach(PollScheduler::close);
    }
}
