package io.headroom.agent.schedule;

import static io.headroom.agent.schedule.SchedulerFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.time.ManualTime;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.simulator.site.SimulatedSite;
import io.headroom.simulator.site.SiteSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scheduler with real CGMiner drivers against a simulated site of LuxOS miners, one of which
 * hangs: the others are polled at every deadline, the hung one is reported OFFLINE "timeout", backs
 * off and comes back. The scheduler runs on manual time; only the drivers' socket timeout is real.
 */
@Timeout(60)
class PollSchedulerSimulatorIT {
    private static final Duration INTERVAL = Duration.ofMillis(250);

    @Test
    void hangingSimulatedMiner_doesNotDelayTheOthers_andRecovers() throws Exception {
        FirmwareProfile luxos = TestDevices.profile("luxor/luxos");
        ManualTime time = new ManualTime();
        Map<String, List<PollResult>> results = new ConcurrentHashMap<>();
        try (SimulatedSite site = SimulatedSite.start(SiteSpec.of(4, 11L), Clock.systemUTC())) {
            List<ScheduledDevice> devices = new ArrayList<>();
            for (int i = 0; i < site.size(); i++) {
                // The hung miner times out quickly (on the real socket); the healthy ones get a timeout no
                // loaded build machine reaches, so that only the scheduler decides when they are polled.
                Duration timeout = i == 0 ? Duration.ofMillis(200) : Duration.ofSeconds(15);
                DeviceConfig config = TestDevices.cgminer(
                        "sim-" + i,
                        luxos.id(),
                        site.miner(i).address().getHostString(),
                        site.miner(i).port(),
                        INTERVAL,
                        timeout);
                devices.add(new ScheduledDevice(config, TestDevices.create(config, Clock.systemUTC())));
            }
            site.miner(0).faults().setHang(true);
            try (PollScheduler scheduler = new PollScheduler(
                    devices,
                    (id, r) -> results.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                            .add(r),
                    time.wall(),
                    time.monotonic(),
                    time.timer(),
                    ScriptedRandom.ZERO,
                    new SimpleMeterRegistry())) {
                scheduler.start();
                time.advance(Duration.ZERO);
                int deadlines = 1;
                awaitHealthyPolled(results, deadlines);
                // Step until the hung miner's poll has timed out (on the real socket timeout) and then some.
                while (count(results, "sim-0") == 0 || deadlines < 12) {
                    time.advance(INTERVAL);
                    awaitHealthyPolled(results, ++deadlines);
                }

                for (int i = 1; i <= 3; i++) {
                    assertThat(count(results, "sim-" + i))
                            .as("sim-%d polled at each deadline", i)
                            .isEqualTo(deadlines);
                    assertThat(results.get("sim-" + i))
                            .extracting(PollResult::health)
                            .containsOnly(DeviceHealth.DEVICE_HEALTH_ONLINE);
                }
                assertThat(results.get("sim-0"))
                        .allMatch(r -> r.health() == DeviceHealth.DEVICE_HEALTH_OFFLINE
                                && r.reason().equals("timeout"));
                assertThat(count(results, "sim-0")).as("backed off").isLessThan(deadlines / 2);

                site.miner(0).faults().setHang(false);
                // Each check steps one interval: the recovered miner is polled within its backed-off 8×.
                Awaitility.await()
                        .pollDelay(Duration.ZERO)
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> {
                            time.advance(INTERVAL);
                            List<PollResult> hung = results.get("sim-0");
                            return hung.get(hung.size() - 1).health() == DeviceHealth.DEVICE_HEALTH_ONLINE;
                        });
            }
        }
    }

    private static void awaitHealthyPolled(Map<String, List<PollResult>> results, int polls) {
        awaitTrue(() -> count(results, "sim-1") == polls
                && count(results, "sim-2") == polls
                && count(results, "sim-3") == polls);
    }

    private static int count(Map<String, List<PollResult>> results, String id) {
        return results.getOrDefault(id, List.of()).size();
    }
}
