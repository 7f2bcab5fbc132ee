package io.headroom.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The four classes under a grid event deeper than the miners can give, in simulated time: miners
 * give way first; ai-flex servers are then capped, to their class's floor and never below, never
 * slept or switched off; ai-contract and auxiliary load are never touched.
 */
class PriorityClassSimulationTest {

    private static final String FLEX_1 = "dev-010";
    private static final String FLEX_2 = "dev-020";
    private static final String COOLING = "dev-030";

    /** 50 devices: 45 miners, two ai-flex servers (floor 75 % of 8 kW), two ai-contract, one cooling unit. */
    private static final String SITE = SimulatedSiteRig.siteYaml(1, 1, 2, 25, 200)
                    .replace(
                            "{id: " + FLEX_1 + ", agent: agent-pdu-1-1-c1, class: ai-contract",
                            "{id: " + FLEX_1 + ", agent: agent-pdu-1-1-c1, class: ai-flex")
                    .replace(
                            "{id: " + FLEX_2 + ", agent: agent-pdu-1-1-c1, class: ai-contract",
                            "{id: " + FLEX_2 + ", agent: agent-pdu-1-1-c1, class: ai-flex")
                    .replace(
                            "{id: " + COOLING + ", agent: agent-pdu-1-1-c2, class: ai-contract",
                            "{id: " + COOLING + ", agent: agent-pdu-1-1-c2, class: auxiliary")
            + "classes:\n  ai-flex: {floor-percent: 75, description: training that tolerates a slower step}\n";

    @Test
    void minersFirstThenAiFlexCappedToItsFloorNeverContractOrAuxiliary() throws Exception {
        assertThat(SITE).contains(FLEX_1 + ", agent: agent-pdu-1-1-c1, class: ai-flex");
        assertThat(SITE).contains(COOLING + ", agent: agent-pdu-1-1-c2, class: auxiliary");
        SimulatedSiteRig rig = new SimulatedSiteRig(SITE, EngineSettings.defaults(), 5, 0.01);
        for (int i = 0; i < 10; i++) {
            rig.tick(null);
        }
        double baseline = rig.siteKw();
        // Below what must run plus the ai-flex floors: the event cannot be met; the engine goes as far as allowed.
        double target = baseline * 0.2;
        Instant start = rig.now;
        for (int i = 0; i < 300; i++) {
            rig.tick(SimulatedSiteRig.ramp(
                    "deep", start, baseline, target, Duration.ofSeconds(60), rig.now.plusSeconds(1)));
        }
        List<Action> flex = rig.actions.stream()
                .filter(a -> a.deviceId().equals(FLEX_1) || a.deviceId().equals(FLEX_2))
                .toList();
        assertThat(flex).as("ai-flex capped once the miners were exhausted").isNotEmpty();
        assertThat(flex).allSatisfy(a -> {
            assertThat(a.kind()).isEqualTo(ActionKind.SET_POWER_TARGET);
            assertThat(a.valueW())
                    .as("never below the class floor of 75 %% of 8 kW")
                    .isGreaterThanOrEqualTo(6000);
        });
        assertThat(rig.gpus.get(FLEX_1)).isEqualTo(6.0);
        assertThat(rig.gpus.get(FLEX_2)).isEqualTo(6.0);
        assertThat(rig.actions)
                .as("ai-contract and auxiliary never touched")
                .noneMatch(a -> rig.gpus.containsKey(a.deviceId()) && !flex.contains(a));

        // Miners first: when the first ai-flex cap went out, every miner had been curtailed already.
        Instant firstFlex = rig.actionTimes.get(rig.actions.indexOf(flex.get(0)));
        Set<String> minersBefore = new HashSet<>();
        for (int i = 0; i < rig.actions.size(); i++) {
            if (!rig.actionTimes.get(i).isAfter(firstFlex)
                    && rig.miners.containsKey(rig.actions.get(i).deviceId())) {
                minersBefore.add(rig.actions.get(i).deviceId());
            }
        }
        assertThat(minersBefore).containsExactlyInAnyOrderElementsOf(rig.miners.keySet());
    }
}
