package io.headroom.agent.schedule;

import io.headroom.profiles.FirmwareProfile;
import io.headroom.agent.TestDevices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.PollResult;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scheduler with real CGMiner drivers against a simulated site of LuxOS miners, one of which
 * hangs: the others keep their cadence, the hung one is reported OFFLINE "timeout" and comes back.
 */
@Timeout(60)
class PollSchedulerSimulatorIT {

    @Test
    void hangingSimulatedMiner_doesNotDelayTheOthers_andRecovers() throws Exception {
        FirmwareProfile luxos = TestDevices.profile("luxor/luxos");
        Duration interval = Duration.ofMillis(250);
        Map<String, List<PollResult>> results = new ConcurrentHashMap<>();
        try (SimulatedSite site = SimulatedSite.start(SiteSpec.of(4, 11L), Clock.systemUTC())) {
            List<ScheduledDevice> devices = new ArrayList<>();
            for (int i = 0; i < site.size(); i++) {
                DeviceConfig config = TestDevices.cgminer("sim-" + i, luxos.id(), site.miner(i).address().getHostString(),
                        site.miner(i).port(), interval, Duration.ofMillis(200));
                devices.add(new ScheduledDevice(config, luxos, TestDevices.create(config, Clock.systemUTC())));
            }
            site.miner(0).faults().setHang(true);
            try (PollScheduler scheduler = new PollScheduler(devices,
                    (id, r) -> results.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(r),
                    Clock.systemUTC(), new SimpleMeterRegistry())) {
                scheduler.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> results.keySet().size() == 4);

                long windowStart = System.nanoTime();
                int[] before = {count(results, "sim-1"), count(results, "sim-2"), count(results, "sim-3")};
                await().atMost(Duration.ofSeconds(20)).until(() -> count(results, "sim-1") >= before[0] + 8);
                long expected = (System.nanoTime() - windowStart) / interval.toNanos();
                int[] after = {count(results, "sim-1"), count(results, "sim-2"), count(results, "sim-3")};

                for (int i = 0; i < 3; i++) {
                    assertThat(after[i] - before[i]).as("sim-" + (i + 1)).isGreaterThanOrEqualTo((int) expected - 1);
                }
                assertThat(results.get("sim-1")).allMatch(r -> r.health() == DeviceHealth.DEVICE_HEALTH_ONLINE);
                assertThat(results.get("sim-0")).allMatch(r -> r.health() == DeviceHealth.DEVICE_HEALTH_OFFLINE
                        && r.reason().equals("timeout"));
                assertThat(count(results, "sim-0")).as("backed off").isLessThan(after[0]);

                site.miner(0).faults().setHang(false);
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    List<PollResult> hung = results.get("sim-0");
                    return hung.get(hung.size() - 1).health() == DeviceHealth.DEVICE_HEALTH_ONLINE;
                });
            }
        }
    }

    private static int count(Map<String, List<PollResult>> results, String id) {
        return results.getOrDefault(id, List.of()).size();
    }
}
