package io.headroom.agent.schedule;

import static io.headroom.agent.schedule.SchedulerFixture.awaitTrue;
import static io.headroom.agent.schedule.SchedulerFixture.device;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.PollResult;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One device per lane, on manual time: deadlines, backoff, failures, meters, lifecycle. */
@Timeout(60)
class PollSchedulerTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final SchedulerFixture fixture = new SchedulerFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void firstPolls_spreadAtRandomOverTheFirstInterval() {
        List<ScheduledDevice> devices = new ArrayList<>();
        List<FakeDriver> drivers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            FakeDriver driver = fixture.driver("m" + i, FakeDriver.Behaviour.ONLINE);
            drivers.add(driver);
            devices.add(device(SECOND, driver));
        }
        long start = fixture.time.nanoTime();
        fixture.scheduler(devices, new Random(7)).start();

        List<Long> offsets = fixture.time.manualTimer().pendingDueNanos().stream()
                .map(due -> due - start)
                .toList();
        assertThat(offsets).hasSize(64).allMatch(o -> o >= 0 && o < SECOND.toNanos());
        for (int quarter = 0; quarter < 4; quarter++) {
            long from = quarter * SECOND.toNanos() / 4;
            long to = from + SECOND.toNanos() / 4;
            assertThat(offsets)
                    .as("first polls in quarter %d of the interval", quarter)
                    .anyMatch(o -> o >= from && o < to);
        }

        fixture.time.advance(SECOND.minusNanos(1));
        awaitTrue(() -> drivers.stream().allMatch(d -> d.polls() >= 1));
    }

    @Test
    void jitter_doesNotAccumulate_deadlinesStayOnePollIntervalApart() {
        FakeDriver driver = fixture.driver("m1", FakeDriver.Behaviour.ONLINE);
        // Every draw at the top of its range: the first poll at the end of the first interval, and
        // each later one 20 ms (2 % of 1 s) late.
        ScriptedRandom latest = new ScriptedRandom((origin, bound) -> bound - 1);
        long start = fixture.time.nanoTime();
        fixture.scheduler(List.of(device(SECOND, driver)), latest).start();

        long first = start + SECOND.toNanos() - 1;
        assertThat(fixture.time.manualTimer().pendingDueNanos()).containsExactly(first);
        for (int k = 1; k <= 5; k++) {
            fixture.time.advanceTo(fixture.time.sinceStart(
                    fixture.time.manualTimer().pendingDueNanos().get(0)));
            int polls = k;
            awaitTrue(() -> fixture.reported("m1") == polls);
            long expected = first + k * SECOND.toNanos() + Duration.ofMillis(20).toNanos();
            assertThat(fixture.time.manualTimer().pendingDueNanos())
                    .as("deadline %d", k)
                    .containsExactly(expected);
        }
    }

    @Test
    void offlineDevice_backsOffUpToEightTimes_andResetsOnSuccess() {
        FakeDriver driver = fixture.driver("down", FakeDriver.Behaviour.OFFLINE);
        fixture.scheduler(List.of(device(Duration.ofMillis(100), driver))).start();

        // 1×, then 2× after one OFFLINE poll, 4× after two, 8× after three and from then on.
        List<Long> offline = List.of(0L, 200L, 600L, 1400L, 2200L, 3000L);
        fixture.stepTo(Duration.ofMillis(3000), Duration.ofMillis(100), Map.of("down", offline));
        assertThat(fixture.startsMillis(driver)).isEqualTo(offline);

        driver.behaviour.set(FakeDriver.Behaviour.ONLINE);
        List<Long> all = new ArrayList<>(offline);
        all.addAll(List.of(3800L, 3900L, 4000L)); // 8× once more, then back to 1× after the success
        fixture.stepTo(Duration.ofMillis(4000), Duration.ofMillis(100), Map.of("down", all));
        assertThat(fixture.startsMillis(driver)).isEqualTo(all);
        assertThat(fixture.errors("down", "timeout")).isEqualTo(6);
        assertThat(fixture.skipped("down")).isZero();
    }

    @Test
    void execute_unknownDevice_failsWithUnknownDevice() throws Exception {
        PollScheduler scheduler =
                fixture.scheduler(List.of(device(SECOND, fixture.driver("m1", FakeDriver.Behaviour.ONLINE))));

        CommandOutcome outcome = scheduler.execute("m9", Verb.VERB_WAKE, 0).get(1, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("unknown-device");
    }

    @Test
    void close_isIdempotent_closesDriversOnce_andFailsQueuedCommands() throws Exception {
        FakeDriver driver = fixture.driver("m1", FakeDriver.Behaviour.HANG);
        PollScheduler scheduler = fixture.scheduler(List.of(device(SECOND, driver)));
        scheduler.start();
        fixture.time.advance(Duration.ZERO);
        awaitTrue(() -> driver.hangs.get() == 1);
        CompletableFuture<CommandOutcome> queued = scheduler.execute("m1", Verb.VERB_SLEEP, 0);

        scheduler.close();
        scheduler.close();

        assertThat(driver.closes.get()).isEqualTo(1);
        CommandOutcome outcome = queued.get(5, TimeUnit.SECONDS);
        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("closed");
        assertThat(driver.commands.get()).isZero();
        assertThat(scheduler
                        .execute("m1", Verb.VERB_WAKE, 0)
                        .get(1, TimeUnit.SECONDS)
                        .reason())
                .isEqualTo("closed");
        assertThat(fixture.time.manualTimer().pending())
                .as("no deadline left armed")
                .isZero();
        assertThatThrownBy(scheduler::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void driverException_isCountedReportedOfflineAndPollingGoesOn() {
        FakeDriver driver = fixture.driver("buggy", FakeDriver.Behaviour.THROW);
        fixture.scheduler(List.of(device(Duration.ofMillis(100), driver))).start();

        fixture.stepTo(Duration.ofMillis(200), Duration.ofMillis(100), Map.of("buggy", List.of(0L, 200L)));
        driver.behaviour.set(FakeDriver.Behaviour.ONLINE);
        fixture.stepTo(Duration.ofMillis(600), Duration.ofMillis(100), Map.of("buggy", List.of(0L, 200L, 600L)));

        List<PollResult> results = fixture.results.get("buggy");
        assertThat(results)
                .extracting(PollResult::health)
                .containsExactly(
                        DeviceHealth.DEVICE_HEALTH_OFFLINE,
                        DeviceHealth.DEVICE_HEALTH_OFFLINE,
                        DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(results.get(0).reason()).isEqualTo("driver-exception");
        assertThat(fixture.errors("buggy", "driver-exception")).isEqualTo(2);
    }

    @Test
    void listenerException_isCountedAndPollingGoesOn() {
        FakeDriver driver = fixture.driver("m1", FakeDriver.Behaviour.ONLINE);
        List<PollResult> seen = new CopyOnWriteArrayList<>();
        fixture.scheduler(List.of(device(Duration.ofMillis(100), driver)), ScriptedRandom.ZERO, (id, r) -> {
                    seen.add(r);
                    throw new IllegalStateException("listener bug");
                })
                .start();

        for (int step = 0; step <= 2; step++) {
            fixture.time.advance(step == 0 ? Duration.ZERO : Duration.ofMillis(100));
            int expected = step + 1;
            awaitTrue(() -> seen.size() == expected);
        }

        awaitTrue(() -> fixture.errors("m1", "listener-exception") == 3);
        assertThat(fixture.startsMillis(driver)).containsExactly(0L, 100L, 200L);
    }

    @Test
    void metrics_recordDurationAndLastSuccessAge_onTheInjectedClocks() {
        FakeDriver driver = fixture.driver("m1", FakeDriver.Behaviour.ONLINE);
        PollScheduler scheduler = fixture.scheduler(List.of(device(Duration.ofSeconds(10), driver)));
        double before = fixture.registry
                .get("headroom.agent.poll.last.success.age.seconds")
                .tag("device", "m1")
                .gauge()
                .value();
        scheduler.start();
        fixture.time.advance(Duration.ZERO);
        awaitTrue(() -> fixture.reported("m1") == 1);

        fixture.time.advance(Duration.ofMillis(2500));

        assertThat(before).isNaN();
        assertThat(fixture.registry
                        .get("headroom.agent.poll.duration")
                        .tag("device", "m1")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(fixture.registry
                        .get("headroom.agent.poll.last.success.age.seconds")
                        .tag("device", "m1")
                        .gauge()
                        .value())
                .isEqualTo(2.5);
    }

    @Test
    void start_twice_isRejected() {
        PollScheduler scheduler = fixture.scheduler(List.of());
        scheduler.start();
        assertThatThrownBy(scheduler::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("started");
    }

    @Test
    void duplicateDeviceIds_areRefused() {
        FakeDriver a = fixture.driver("m1", FakeDriver.Behaviour.ONLINE);
        FakeDriver b = fixture.driver("m1", FakeDriver.Behaviour.ONLINE);
        assertThatThrownBy(() -> fixture.scheduler(List.of(device(SECOND, a), device("bus", SECOND, b))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("devices: duplicate id m1");
    }
}
