package io.headroom.agent.schedule;

import io.headroom.profiles.FirmwareProfile;
import io.headroom.agent.TestDevices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.PollResult;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PollSchedulerTest {

    private static final FirmwareProfile PROFILE = TestDevices.profile("luxor/luxos");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Map<String, List<PollResult>> results = new ConcurrentHashMap<>();
    private final List<PollScheduler> schedulers = new ArrayList<>();

    @AfterEach
    void close() {
        schedulers.forEach(PollScheduler::close);
    }

    private static ScheduledDevice device(String id, Duration interval, FakeDriver driver) {
        DeviceConfig config = TestDevices.cgminer(id, PROFILE.id(), "127.0.0.1", 4028, interval, interval);
        return new ScheduledDevice(config, PROFILE, driver);
    }

    private PollScheduler scheduler(List<ScheduledDevice> devices, PollListener listener) {
        PollScheduler scheduler = new PollScheduler(devices, listener, Clock.systemUTC(), registry);
        schedulers.add(scheduler);
        return scheduler;
    }

    private PollScheduler scheduler(List<ScheduledDevice> devices) {
        return scheduler(devices, (id, result) -> results.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(result));
    }

    private double skipped(String device) {
        var counter = registry.find("headroom.agent.poll.skipped").tag("device", device).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void hungDevice_doesNotDelayHealthyOnes_andRecovers() throws Exception {
        Duration interval = Duration.ofMillis(100);
        FakeDriver hung = new FakeDriver(FakeDriver.Behaviour.HANG);
        Map<String, FakeDriver> healthy = new LinkedHashMap<>();
        List<ScheduledDevice> devices = new ArrayList<>();
        devices.add(device("hung", interval, hung));
        for (int i = 1; i <= 4; i++) {
            FakeDriver driver = new FakeDriver(FakeDriver.Behaviour.ONLINE);
            healthy.put("ok-" + i, driver);
            devices.add(device("ok-" + i, interval, driver));
        }
        PollScheduler scheduler = scheduler(devices);
        scheduler.start();
        assertThat(hung.hanging.await(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> healthy.values().stream().allMatch(d -> d.polls() >= 1));

        long windowStart = System.nanoTime();
        Map<String, Integer> before = new LinkedHashMap<>();
        healthy.forEach((id, d) -> before.put(id, d.polls()));
        await().atMost(Duration.ofSeconds(10)).until(() -> skipped("hung") >= 8);
        long windowNanos = System.nanoTime() - windowStart;
        Map<String, Integer> after = new LinkedHashMap<>();
        healthy.forEach((id, d) -> after.put(id, d.polls()));

        long expected = windowNanos / interval.toNanos();
        assertThat(expected).isGreaterThanOrEqualTo(7);
        for (String id : healthy.keySet()) {
            // One poll may fall on either side of each window edge; a device held up by the hung
            // one would miss most of the window, not one or two polls.
            assertThat(after.get(id) - before.get(id)).as(id + " polls in %d ms", windowNanos / 1_000_000)
                    .isGreaterThanOrEqualTo((int) expected - 2);
        }
        assertThat(hung.polls()).as("a hung poll is never queued twice").isEqualTo(1);

        hung.behaviour.set(FakeDriver.Behaviour.ONLINE);
        hung.release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> hung.polls() >= 3);
        assertThat(results.get("hung")).allMatch(r -> r.health() == DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(hung.maxInside.get()).isEqualTo(1);
    }

    @Test
    void offlineDevice_backsOffUpToEightTimes_andResetsOnSuccess() {
        Duration interval = Duration.ofMillis(100);
        FakeDriver driver = new FakeDriver(FakeDriver.Behaviour.OFFLINE);
        scheduler(List.of(device("down", interval, driver))).start();

        await().atMost(Duration.ofSeconds(10)).until(() -> driver.polls() >= 6);
        List<Long> starts = new ArrayList<>(driver.pollStarts);
        long gap1 = starts.get(1) - starts.get(0);
        long gap5 = starts.get(5) - starts.get(4);
        // Deadlines are nominal (start + interval), so a late start shortens a measured gap and a late
        // end lengthens it: the bounds sit between the neighbouring factors (1x/2x, 4x/8x, 8x/16x),
        // leaving a busy machine at least 50 ms of lateness either way.
        assertThat(Duration.ofNanos(gap1)).as("2x after one failure").isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(Duration.ofNanos(gap5)).as("8x after three").isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(Duration.ofNanos(gap5)).as("capped at 8x").isLessThan(Duration.ofMillis(1_200));

        driver.behaviour.set(FakeDriver.Behaviour.ONLINE);
        int recoveredAt = driver.polls() + 1;
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.polls() >= recoveredAt + 4);
        List<Long> after = new ArrayList<>(driver.pollStarts);
        long lastGap = after.get(after.size() - 1) - after.get(after.size() - 2);
        assertThat(Duration.ofNanos(lastGap)).as("back to 1x after a success").isLessThan(Duration.ofMillis(400));
        assertThat(registry.find("headroom.agent.poll.errors").tags("device", "down", "reason", "timeout")
                .counter().count()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void commands_runOnTheDeviceLane_neverDuringItsPoll() throws Exception {
        FakeDriver driver = new FakeDriver(FakeDriver.Behaviour.HANG);
        PollScheduler scheduler = scheduler(List.of(device("m1", Duration.ofMillis(50), driver)));
        scheduler.start();
        assertThat(driver.hanging.await(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<CommandOutcome> command = scheduler.execute("m1", Verb.VERB_SLEEP, 0);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !command.isDone());
        driver.behaviour.set(FakeDriver.Behaviour.ONLINE);
        driver.release.countDown();

        assertThat(command.get(5, TimeUnit.SECONDS).status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.polls() >= 3);
        assertThat(driver.maxInside.get()).isEqualTo(1);
    }

    @Test
    void execute_unknownDevice_failsWithUnknownDevice() throws Exception {
        PollScheduler scheduler = scheduler(List.of(device("m1", Duration.ofSeconds(5), new FakeDriver(FakeDriver.Behaviour.ONLINE))));

        CommandOutcome outcome = scheduler.execute("m9", Verb.VERB_WAKE, 0).get(1, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("unknown-device");
    }

    @Test
    void close_isIdempotent_closesDriversOnce_andFailsQueuedCommands() throws Exception {
        FakeDriver driver = new FakeDriver(FakeDriver.Behaviour.HANG);
        PollScheduler scheduler = scheduler(List.of(device("m1", Duration.ofMillis(50), driver)));
        scheduler.start();
        assertThat(driver.hanging.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<CommandOutcome> queued = scheduler.execute("m1", Verb.VERB_SLEEP, 0);

        scheduler.close();
        scheduler.close();

        assertThat(driver.closes.get()).isEqualTo(1);
        CommandOutcome outcome = queued.get(5, TimeUnit.SECONDS);
        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("closed");
        assertThat(driver.commands.get()).isZero();
        assertThat(scheduler.execute("m1", Verb.VERB_WAKE, 0).get(1, TimeUnit.SECONDS).reason()).isEqualTo("closed");
    }

    @Test
    void driverException_isCountedReportedOfflineAndPollingGoesOn() {
        FakeDriver driver = new FakeDriver(FakeDriver.Behaviour.THROW);
        scheduler(List.of(device("buggy", Duration.ofMillis(20), driver))).start();

        await().atMost(Duration.ofSeconds(5)).until(() -> driver.polls() >= 2);
        driver.behaviour.set(FakeDriver.Behaviour.ONLINE);
        await().atMost(Duration.ofSeconds(5)).until(() -> results.getOrDefault("buggy", List.of()).stream()
                .anyMatch(r -> r.health() == DeviceHealth.DEVICE_HEALTH_ONLINE));

        assertThat(results.get("buggy").get(0).reason()).isEqualTo("driver-exception");
        assertThat(registry.find("headroom.agent.poll.errors").tags("device", "buggy", "reason", "driver-exception")
                .counter().count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void listenerException_isCountedAndPollingGoesOn() {
        FakeDriver driver = new FakeDriver(FakeDriver.Behaviour.ONLINE);
        scheduler(List.of(device("m1", Duration.ofMillis(20), driver)), (id, r) -> {
            throw new IllegalStateException("listener bug");
        }).start();

        await().atMost(Duration.ofSeconds(5)).until(() -> driver.polls() >= 3);

        assertThat(registry.find("headroom.agent.poll.errors").tags("device", "m1", "reason", "listener-exception")
                .counter().count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void metrics_recordDurationAndLastSuccessAge() {
        FakeDriver driver = new FakeDriver(FakeDriver.Behaviour.ONLINE);
        PollScheduler scheduler = scheduler(List.of(device("m1", Duration.ofMillis(20), driver)));
        double before = registry.get("headroom.agent.poll.last.success.age.seconds").tag("device", "m1").gauge().value();
        scheduler.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> driver.polls() >= 2);

        assertThat(before).isNaN();
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("headroom.agent.poll.duration")
                .tag("device", "m1").timer().count() >= 2);
        assertThat(registry.get("headroom.agent.poll.last.success.age.seconds").tag("device", "m1").gauge().value())
                .isBetween(0.0, 5.0);
    }

    @Test
    void start_twice_isRejected() {
        PollScheduler scheduler = scheduler(List.of());
        scheduler.start();
        org.assertj.core.api.Assertions.assertThatThrownBy(scheduler::start).isInstanceOf(IllegalStateException.class);
    }
}
