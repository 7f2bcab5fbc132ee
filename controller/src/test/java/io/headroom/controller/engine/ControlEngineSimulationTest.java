package io.headroom.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.site.SiteNodeKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine closed around the simulator's physical miner model in simulated time (one tick a
 * second, seeded): what issue 7 asks of curtailment, breaker limits, restore and unresponsive devices.
 */
class ControlEngineSimulationTest {

    private static final String SITE = SimulatedSiteRig.siteYaml(2, 2, 2, 25, 200);
    private static final EngineSettings SETTINGS = EngineSettings.defaults();

    @Test
    void gridEventTo60PercentIsMetByTheDeadlineWithoutTouchingAiContract() throws Exception {
        SimulatedSiteRig rig = new SimulatedSiteRig(SITE, SETTINGS, 42, 0.01);
        assertThat(rig.miners.size() + rig.gpus.size()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            rig.tick(null);
        }
        double baseline = rig.siteKw();
        double target = baseline * 0.6;
        Instant start = rig.now;
        Duration ramp = Duration.ofSeconds(120);
        while (rig.now.isBefore(start.plus(ramp))) {
            rig.tick(SimulatedSiteRig.ramp("event-1", start, baseline, target, ramp, rig.now.plusSeconds(1)));
        }
        assertThat(rig.siteKw()).as("metered site power at the deadline").isLessThanOrEqualTo(target);
        // Held: stays under the target until the end.
        for (int i = 0; i < 120; i++) {
            rig.tick(SimulatedSiteRig.ramp("event-1", start, baseline, target, ramp, rig.now.plusSeconds(1)));
            assertThat(rig.siteKw()).isLessThanOrEqualTo(target);
        }
        assertThat(rig.actions).isNotEmpty();
        assertThat(rig.actions).noneMatch(a -> rig.gpus.containsKey(a.deviceId()));
        assertThat(rig.actions).allMatch(a -> "event-1".equals(a.eventId()));
        assertLeastEfficientFirst(rig);
        assertRateLimited(rig, SETTINGS.minCommandInterval());
    }

    @Test
    void aLoweredBreakerBringsOnlyItsCircuitBackUnderItsLimit() throws Exception {
        SimulatedSiteRig rig = new SimulatedSiteRig(SITE, SETTINGS, 7, 0.01);
        for (int i = 0; i < 10; i++) {
            rig.tick(null);
        }
        String circuit = "pdu-1-2-c1";
        int node = rig.model.indexOf(SiteNodeKind.CIRCUIT, circuit);
        double before = rig.power().loadKw(node);
        rig.reload(SimulatedSiteRig.withCircuitAmps(SITE, circuit, 200.0, 140.0));
        double limit = rig.model.limitKw(node);
        assertThat(before).as("the circuit is over its lowered limit").isGreaterThan(limit);
        for (int i = 0; i < 60; i++) {
            rig.tick(null);
        }
        assertThat(rig.power().loadKw(node)).isLessThanOrEqualTo(limit * SETTINGS.shedLine());
        int first = node;
        int last = first + 26; // the circuit, its rack and its 25 devices
        assertThat(rig.actions).isNotEmpty().allMatch(a -> a.node() > first && a.node() <= last);
        assertThat(rig.actions).allMatch(a -> a.constraint().nodeId().equals(circuit));
    }

    @Test
    void restoreIsStaggeredMostEfficientFirstAndDoesNotFlapUnderNoise() throws Exception {
        SimulatedSiteRig rig = new SimulatedSiteRig(SITE, SETTINGS, 3, 0.03);
        for (int i = 0; i < 10; i++) {
            rig.tick(null);
        }
        double baseline = rig.siteKw();
        Instant start = rig.now;
        Duration ramp = Duration.ofSeconds(120);
        Instant end = start.plusSeconds(600);
        while (rig.now.isBefore(end)) {
            rig.tick(SimulatedSiteRig.ramp("event-1", start, baseline, baseline * 0.6, ramp, rig.now.plusSeconds(1)));
        }
        int shedActions = rig.actions.size();
        Set<String> curtailed = new HashSet<>();
        rig.state.curtailed().forEach(c -> curtailed.add(c.deviceId()));
        assertThat(curtailed).isNotEmpty();
        Map<String, Instant> restoredAt = new HashMap<>();
        for (int i = 0; i < 1800 && !rig.state.curtailed().isEmpty(); i++) {
            rig.tick(null);
            for (int c = 0; c < rig.model.size(); c++) {
                double limit = rig.model.limitKw(c);
                if (!Double.isNaN(limit)) {
                    assertThat(rig.power().loadKw(c))
                            .as("node %s during restore", rig.model.id(c))
                            .isLessThanOrEqualTo(limit);
                }
            }
        }
        assertThat(rig.state.curtailed()).as("everything restored").isEmpty();
        List<Action> restores = rig.actions.subList(shedActions, rig.actions.size());
        List<Instant> times = rig.actionTimes.subList(shedActions, rig.actionTimes.size());
        assertThat(restores)
                .allMatch(a -> a.kind() == ActionKind.WAKE || a.reason().startsWith("restore"));
        // Staggered: per circuit, at most the batch size within one restore interval.
        Map<Integer, List<Instant>> byCircuit = new HashMap<>();
        for (int i = 0; i < restores.size(); i++) {
            int circuit = rig.model.parent(rig.model.parent(restores.get(i).node()));
            byCircuit.computeIfAbsent(circuit, k -> new ArrayList<>()).add(times.get(i));
            restoredAt.putIfAbsent(restores.get(i).deviceId(), times.get(i));
        }
        for (List<Instant> batch : byCircuit.values()) {
            for (int i = SETTINGS.restoreBatchPerCircuit(); i < batch.size(); i++) {
                Instant earlier = batch.get(i - SETTINGS.restoreBatchPerCircuit());
                assertThat(Duration.between(earlier, batch.get(i))).isGreaterThanOrEqualTo(SETTINGS.restoreInterval());
            }
        }
        // Most efficient first within each circuit, as far as ±3 % noise on power and hashrate lets the
        // engine tell two miners apart.
        for (var entry : byCircuit.entrySet()) {
            List<String> order = new ArrayList<>();
            for (int i = 0; i < restores.size(); i++) {
                String id = restores.get(i).deviceId();
                // A miner capped and then slept comes back in two steps (woken, then its target); its first counts.
                if (rig.model.parent(rig.model.parent(restores.get(i).node())) == entry.getKey()
                        && !order.contains(id)) {
                    order.add(id);
                }
            }
            for (int i = 1; i < order.size(); i++) {
                assertThat(rig.jth(order.get(i))).isGreaterThanOrEqualTo(rig.jth(order.get(i - 1)) * 0.94);
            }
        }
        // No flapping: per device, sheds (a cap, then perhaps sleep as the ramp deepens) and then restores,
        // never a shed after a restore, and at most two steps each way.
        Map<String, List<Action>> byDevice = new HashMap<>();
        rig.actions.forEach(a ->
                byDevice.computeIfAbsent(a.deviceId(), k -> new ArrayList<>()).add(a));
        for (var entry : byDevice.entrySet()) {
            List<Action> steps = entry.getValue();
            int firstRestore = steps.size();
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).restore()) {
                    firstRestore = Math.min(firstRestore, i);
                } else {
                    assertThat(i)
                            .as("%s shed again after a restore: %s", entry.getKey(), steps)
                            .isLessThan(firstRestore);
                }
            }
            assertThat(firstRestore).as(entry.getKey()).isLessThanOrEqualTo(2);
            assertThat(steps.size() - firstRestore).as(entry.getKey()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void anUnresponsiveMinerOverAHardLimitIsCutAtItsOutletAndOnlyIt() throws Exception {
        SimulatedSiteRig rig = new SimulatedSiteRig(SITE, SETTINGS, 11, 0.01);
        for (int i = 0; i < 10; i++) {
            rig.tick(null);
        }
        String circuit = "pdu-1-1-c1";
        int node = rig.model.indexOf(SiteNodeKind.CIRCUIT, circuit);
        // Every interruptible device of the circuit stops answering but keeps drawing.
        for (int i = node + 2; i <= node + 26; i++) {
            rig.unresponsive.add(rig.model.id(i));
        }
        rig.reload(SimulatedSiteRig.withCircuitAmps(SITE, circuit, 200.0, 150.0));
        double limit = rig.model.limitKw(node);
        for (int i = 0; i < 600 && rig.power().loadKw(node) > limit * SETTINGS.shedLine(); i++) {
            rig.tick(null);
        }
        assertThat(rig.power().loadKw(node)).isLessThanOrEqualTo(limit * SETTINGS.shedLine());
        List<Action> cuts = rig.actions.stream()
                .filter(a -> a.kind() == ActionKind.OUTLET_OFF)
                .toList();
        assertThat(cuts).isNotEmpty();
        assertThat(cuts).allMatch(a -> rig.unresponsive.contains(a.deviceId()) && rig.miners.containsKey(a.deviceId()));
        assertThat(cuts).allMatch(a -> a.targetDeviceId().equals("pdu-1-1"));
        // Only as many as the limit needs, and none of the other circuit's.
        double saved = 0;
        for (Action cut : cuts) {
            saved += rig.miners.get(cut.deviceId()).spec().nameplateWatts() / 1000;
        }
        assertThat(saved
                        - rig.miners
                                        .get(cuts.get(cuts.size() - 1).deviceId())
                                        .spec()
                                        .nameplateWatts()
                                / 1000)
                .isLessThan(rig.power().loadKw(node) + saved - limit * SETTINGS.shedLine());
    }

    /** Every curtailed miner is less efficient than every miner left untouched. */
    private static void assertLeastEfficientFirst(SimulatedSiteRig rig) {
        Set<String> slept = new HashSet<>();
        rig.actions.stream().filter(a -> a.kind() == ActionKind.SLEEP).forEach(a -> slept.add(a.deviceId()));
        Set<String> touched = new HashSet<>();
        rig.actions.forEach(a -> touched.add(a.deviceId()));
        double bestSlept = slept.stream().mapToDouble(rig::jth).min().orElseThrow();
        double worstUntouched = rig.miners.keySet().stream()
                .filter(id -> !touched.contains(id))
                .mapToDouble(rig::jth)
                .max()
                .orElse(0);
        // Within what 1 % noise on power and hashrate lets the engine tell apart.
        assertThat(bestSlept).isGreaterThanOrEqualTo(worstUntouched * 0.98);
    }

    private static void assertRateLimited(SimulatedSiteRig rig, Duration interval) {
        for (var entry : rig.commandTimes.entrySet()) {
            List<Instant> times = entry.getValue();
            for (int i = 1; i < times.size(); i++) {
                assertThat(Duration.between(times.get(i - 1), times.get(i)))
                        .as("commands to %s", entry.getKey())
                        .isGreaterThanOrEqualTo(interval);
            }
        }
    }
}
