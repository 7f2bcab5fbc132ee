package io.headroom.agent.schedule;

import static io.headroom.agent.schedule.SchedulerFixture.PATIENCE;
import static io.headroom.agent.schedule.SchedulerFixture.awaitTrue;
import static io.headroom.agent.schedule.SchedulerFixture.device;
import static io.headroom.agent.schedule.SchedulerFixture.every;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.PollResult;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several devices on one lane (the slaves of one RS-485 bus): one request at a time, each device on
 * its own deadline and backoff, commands first, and a hung lane costing only itself. Manual time.
 */
@Timeout(60)
class PollSchedulerLanesTest {
    private static final Duration MS_100 = Duration.ofMillis(100);

    private final SchedulerFixture fixture = new SchedulerFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void twoDevicesOnOneLane_neverRunTogether_andEachKeepsItsOwnDeadline() {
        FakeDriver.Probe bus = new FakeDriver.Probe();
        FakeDriver fast = fixture.driver("fast", FakeDriver.Behaviour.ONLINE, bus);
        FakeDriver slow = fixture.driver("slow", FakeDriver.Behaviour.ONLINE, bus);
        fixture.scheduler(List.of(
                        device("bus", Duration.ofMillis(300), fast), device("bus", Duration.ofMillis(500), slow)))
                .start();

        fixture.stepTo(Duration.ofMillis(3000), MS_100, Map.of("fast", every(300, 3000), "slow", every(500, 3000)));

        assertThat(fixture.startsMillis(fast)).isEqualTo(every(300, 3000));
        assertThat(fixture.startsMillis(slow)).isEqualTo(every(500, 3000));
        assertThat(bus.maxInside.get()).as("requests on the bus at once").isEqualTo(1);
        assertThat(fixture.skipped("fast") + fixture.skipped("slow")).isZero();
    }

    @Test
    void commandOnABusyLane_runsRightAfterTheCurrentRequest_aheadOfPendingPolls() throws Exception {
        FakeDriver.Probe bus = new FakeDriver.Probe();
        FakeDriver hung = fixture.driver("hung", FakeDriver.Behaviour.HANG, bus);
        FakeDriver d2 = fixture.driver("d2", FakeDriver.Behaviour.ONLINE, bus);
        FakeDriver d3 = fixture.driver("d3", FakeDriver.Behaviour.ONLINE, bus);
        PollScheduler scheduler = fixture.scheduler(List.of(
                device("bus", Duration.ofSeconds(1), hung),
                device("bus", Duration.ofSeconds(1), d2),
                device("bus", Duration.ofSeconds(1), d3)));
        scheduler.start();
        fixture.time.advance(Duration.ZERO); // all three due: hung's poll runs, d2's and d3's wait
        awaitTrue(() -> hung.hangs.get() == 1);

        CompletableFuture<CommandOutcome> sleep = scheduler.execute("d3", Verb.VERB_SLEEP, 0);
        CompletableFuture<CommandOutcome> wake = scheduler.execute("d2", Verb.VERB_WAKE, 0);
        assertThat(sleep).as("waits for the request on the bus").isNotDone();
        hung.behaviour.set(FakeDriver.Behaviour.ONLINE);
        hung.releaseHang();

        assertThat(sleep.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).status())
                .isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(wake.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).status())
                .isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        awaitTrue(() -> fixture.reported("d2") == 1 && fixture.reported("d3") == 1);
        assertThat(bus.requests).containsExactly("hung:poll", "d3:VERB_SLEEP", "d2:VERB_WAKE", "d2:poll", "d3:poll");
        assertThat(bus.maxInside.get()).isEqualTo(1);
    }

    @Test
    void commandsOnOneLane_runInSubmissionOrder_acrossItsDevices() throws Exception {
        FakeDriver.Probe bus = new FakeDriver.Probe();
        FakeDriver hung = fixture.driver("hung", FakeDriver.Behaviour.HANG, bus);
        FakeDriver d2 = fixture.driver("d2", FakeDriver.Behaviour.ONLINE, bus);
        FakeDriver d3 = fixture.driver("d3", FakeDriver.Behaviour.ONLINE, bus);
        PollScheduler scheduler = fixture.scheduler(List.of(
                device("bus", Duration.ofSeconds(1), hung),
                device("bus", Duration.ofSeconds(1), d2),
                device("bus", Duration.ofSeconds(1), d3)));
        scheduler.start();
        fixture.time.advance(Duration.ZERO);
        awaitTrue(() -> hung.hangs.get() == 1);

        List<CompletableFuture<CommandOutcome>> commands = List.of(
                scheduler.execute("d2", Verb.VERB_SET_POWER_TARGET, 2100),
                scheduler.execute("d3", Verb.VERB_SET_POWER_TARGET, 3100),
                scheduler.execute("hung", Verb.VERB_SET_POWER_TARGET, 1100),
                scheduler.execute("d3", Verb.VERB_SET_POWER_TARGET, 3200),
                scheduler.execute("d2", Verb.VERB_SET_POWER_TARGET, 2200));
        hung.behaviour.set(FakeDriver.Behaviour.ONLINE);
        hung.releaseHang();

        List<Double> readBacks = new ArrayList<>();
        for (CompletableFuture<CommandOutcome> command : commands) {
            readBacks.add(command.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)
                    .readBack()
                    .orElseThrow());
        }
        assertThat(readBacks)
                .as("each command's value reached its device")
                .containsExactly(2100.0, 3100.0, 1100.0, 3200.0, 2200.0);
        awaitTrue(() -> bus.requests.size() == 8);
        assertThat(bus.requests.subList(1, 6))
                .containsExactly(
                        "d2:VERB_SET_POWER_TARGET",
                        "d3:VERB_SET_POWER_TARGET",
                        "hung:VERB_SET_POWER_TARGET",
                        "d3:VERB_SET_POWER_TARGET",
                        "d2:VERB_SET_POWER_TARGET");
    }

    @Test
    void offlineDeviceOnASharedLane_backsOffAlone() {
        FakeDriver.Probe bus = new FakeDriver.Probe();
        FakeDriver down = fixture.driver("down", FakeDriver.Behaviour.OFFLINE, bus);
        FakeDriver up = fixture.driver("up", FakeDriver.Behaviour.ONLINE, bus);
        fixture.scheduler(List.of(device("bus", MS_100, down), device("bus", MS_100, up)))
                .start();

        List<Long> backedOff = List.of(0L, 200L, 600L, 1400L, 2200L, 3000L);
        fixture.stepTo(Duration.ofMillis(3000), MS_100, Map.of("down", backedOff, "up", every(100, 3000)));

        assertThat(fixture.startsMillis(down)).isEqualTo(backedOff);
        assertThat(fixture.startsMillis(up)).as("its lane-mate keeps 1×").isEqualTo(every(100, 3000));
        assertThat(fixture.results.get("up")).allMatch(r -> r.health() == DeviceHealth.DEVICE_HEALTH_ONLINE);
    }

    @Test
    void busyLane_skipsAndCountsEachDevicesMissedDeadlines_andRunsOnePendingPollNotAPile() {
        FakeDriver.Probe bus = new FakeDriver.Probe();
        FakeDriver hung = fixture.driver("hung", FakeDriver.Behaviour.HANG, bus);
        FakeDriver waiting = fixture.driver("waiting", FakeDriver.Behaviour.ONLINE, bus);
        fixture.scheduler(List.of(device("bus", MS_100, hung), device("bus", MS_100, waiting)))
                .start();
        fixture.time.advance(Duration.ZERO);
        awaitTrue(() -> hung.hangs.get() == 1);

        for (int step = 1; step <= 3; step++) {
            fixture.time.advance(MS_100);
            assertThat(fixture.skipped("hung")).as("hung, step %d", step).isEqualTo(step);
            assertThat(fixture.skipped("waiting"))
                    .as("waiting for the bus, step %d", step)
                    .isEqualTo(step);
        }
        assertThat(waiting.polls()).isZero();

        hung.behaviour.set(FakeDriver.Behaviour.ONLINE);
        hung.releaseHang();
        awaitTrue(() -> fixture.reported("hung") == 1 && fixture.reported("waiting") == 1);
        fixture.time.advance(MS_100); // t = 400 ms, both due again
        awaitTrue(() -> fixture.reported("hung") == 2 && fixture.reported("waiting") >= 2);

        assertThat(waiting.polls())
                .as("one pending poll ran, not one per missed deadline")
                .isEqualTo(2);
        assertThat(fixture.startsMillis(waiting)).containsExactly(300L, 400L);
        assertThat(bus.maxInside.get()).isEqualTo(1);
    }

    @Test
    void hungLane_neverDelaysAnotherLane_andItsDevicesRecover() {
        FakeDriver.Probe laneA = new FakeDriver.Probe();
        FakeDriver.Probe laneB = new FakeDriver.Probe();
        FakeDriver a1 = fixture.driver("a1", FakeDriver.Behaviour.HANG, laneA);
        FakeDriver a2 = fixture.driver("a2", FakeDriver.Behaviour.ONLINE, laneA);
        FakeDriver b1 = fixture.driver("b1", FakeDriver.Behaviour.ONLINE, laneB);
        FakeDriver b2 = fixture.driver("b2", FakeDriver.Behaviour.ONLINE, laneB);
        fixture.scheduler(List.of(
                        device("A", MS_100, a1),
                        device("A", MS_100, a2),
                        device("B", MS_100, b1),
                        device("B", MS_100, b2)))
                .start();
        fixture.time.advance(Duration.ZERO);
        awaitTrue(() -> a1.hangs.get() == 1 && fixture.reported("b1") == 1 && fixture.reported("b2") == 1);

        for (int step = 1; step <= 10; step++) {
            fixture.time.advance(MS_100);
            int polls = step + 1;
            awaitTrue(() -> fixture.reported("b1") == polls && fixture.reported("b2") == polls);
            assertThat(fixture.skipped("a1")).isEqualTo(step);
            assertThat(fixture.skipped("a2")).isEqualTo(step);
        }
        assertThat(fixture.startsMillis(b1)).isEqualTo(every(100, 1000));
        assertThat(fixture.startsMillis(b2)).isEqualTo(every(100, 1000));
        assertThat(a1.polls()).as("a hung poll is never queued twice").isEqualTo(1);
        assertThat(a2.polls()).as("a2 waits for its lane").isZero();
        assertThat(fixture.skipped("b1") + fixture.skipped("b2")).isZero();

        a1.behaviour.set(FakeDriver.Behaviour.ONLINE);
        a1.releaseHang();
        awaitTrue(() -> fixture.reported("a1") == 1 && fixture.reported("a2") == 1);
        fixture.time.advance(MS_100);
        awaitTrue(() -> fixture.reported("a1") == 2 && fixture.reported("a2") == 2);
        assertThat(fixture.results.get("a2")).allMatch(r -> r.health() == DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(laneA.maxInside.get()).isEqualTo(1);
        assertThat(laneB.maxInside.get()).isEqualTo(1);
    }

    @Test
    void onALane_theEarliestDeadlineRunsFirst_notTheEarliestQueued() {
        FakeDriver.Probe bus = new FakeDriver.Probe();
        FakeDriver gate = fixture.driver("gate", FakeDriver.Behaviour.ONLINE, bus);
        FakeDriver early = fixture.driver("early", FakeDriver.Behaviour.ONLINE, bus);
        FakeDriver later = fixture.driver("later", FakeDriver.Behaviour.ONLINE, bus);
        // First polls at 0; jitter 0, except for the 1 s device (the only one whose jitter is ±20 ms):
        // 20 ms early, so its deadline at 1000 ms is queued at 980 ms, before the 990 ms one's.
        long twentyMs = Duration.ofMillis(20).toNanos();
        ScriptedRandom random = new ScriptedRandom((origin, bound) ->
                origin == -twentyMs && bound == twentyMs + 1 ? origin : Math.max(origin, Math.min(0, bound - 1)));
        fixture.scheduler(
                        List.of(
                                device("bus", Duration.ofMillis(900), gate),
                                device("bus", Duration.ofMillis(1000), later),
                                device("bus", Duration.ofMillis(990), early)),
                        random)
                .start();
        fixture.time.advance(Duration.ZERO);
        awaitTrue(() ->
                fixture.reported("gate") == 1 && fixture.reported("later") == 1 && fixture.reported("early") == 1);

        gate.behaviour.set(FakeDriver.Behaviour.HANG);
        fixture.time.advanceTo(Duration.ofMillis(900));
        awaitTrue(() -> gate.hangs.get() == 1);
        fixture.time.advanceTo(Duration.ofMillis(980)); // "later" (deadline 1000 ms) queued
        fixture.time.advanceTo(Duration.ofMillis(990)); // "early" (deadline 990 ms) queued
        gate.behaviour.set(FakeDriver.Behaviour.ONLINE);
        gate.releaseHang();
        awaitTrue(() -> fixture.reported("later") == 2 && fixture.reported("early") == 2);

        assertThat(bus.requests.subList(3, 6)).containsExactly("gate:poll", "early:poll", "later:poll");
    }

    @Test
    void close_withAHungLane_returns_andInterruptsTheHungWorker() throws Exception {
        FakeDriver hung = fixture.driver("hung", FakeDriver.Behaviour.HANG);
        FakeDriver mate = fixture.driver("mate", FakeDriver.Behaviour.ONLINE, hung.probe);
        FakeDriver other = fixture.driver("other", FakeDriver.Behaviour.ONLINE);
        PollScheduler scheduler = fixture.scheduler(
                List.of(device("A", MS_100, hung), device("A", MS_100, mate), device("B", MS_100, other)));
        scheduler.start();
        fixture.time.advance(Duration.ZERO);
        awaitTrue(() -> hung.hangs.get() == 1 && fixture.reported("other") == 1);
        CompletableFuture<CommandOutcome> queued = scheduler.execute("mate", Verb.VERB_SLEEP, 0);

        scheduler.close();

        assertThat(hung.interrupted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .as("hung worker interrupted")
                .isTrue();
        CommandOutcome outcome = queued.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("closed");
        assertThat(List.of(hung.closes.get(), mate.closes.get(), other.closes.get()))
                .containsOnly(1);
        assertThat(mate.polls() + mate.commands.get()).isZero();
        assertThat(fixture.reported("hung"))
                .as("an interrupted poll is not reported")
                .isZero();
    }

    @Test
    void close_withADriverThatIgnoresInterrupts_stillReturns() throws Exception {
        FakeDriver stuck = fixture.driver("stuck", FakeDriver.Behaviour.HANG_IGNORING_INTERRUPTS);
        PollScheduler scheduler = fixture.scheduler(List.of(device("A", MS_100, stuck)));
        scheduler.start();
        fixture.time.advance(Duration.ZERO);
        awaitTrue(() -> stuck.hangs.get() == 1);
        CompletableFuture<CommandOutcome> queued = scheduler.execute("stuck", Verb.VERB_WAKE, 0);

        try {
            scheduler.close(); // waits PollScheduler.CLOSE_WAIT at most; the class timeout catches one that blocks

            assertThat(stuck.interrupted.getCount()).as("interrupted").isZero();
            assertThat(queued.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).reason())
                    .isEqualTo("closed");
            assertThat(stuck.closes.get()).isEqualTo(1);
        } finally {
            stuck.releaseHang();
        }
        awaitTrue(() -> stuck.probe.inside.get() == 0);
        assertThat(fixture.results.getOrDefault("stuck", List.<PollResult>of()))
                .as("not reported after close")
                .isEmpty();
    }
}
