package io.headroom.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.market.LedgerHour;
import io.headroom.controller.market.Market;
import io.headroom.controller.market.MarketInput;
import io.headroom.controller.market.MarketRoutesFixture;
import io.headroom.controller.market.MarketState;
import io.headroom.controller.market.PricePoint;
import io.headroom.controller.market.PriceSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Market strikes through the real engine in simulated time: a price above the old miners' break-even
 * for three 5-minute intervals puts exactly those miners to sleep, the efficient ones and the AI
 * servers keep running, and three intervals back under it bring them back; the ledger counts what
 * was curtailed.
 */
class MarketStrikeSimulationTest {

    /** Hashprice 50 USD/PH/day: break-even ≈ 2083 / J/TH USD/MWh: ~99 for the efficient (≈21 J/TH), ~71 for the old (≈29). */
    private static final double HASHPRICE = 50;

    @Test
    void aPriceAboveTheOldMinersBreakEvenForThreeIntervalsSleepsExactlyThemAndTheyComeBack() throws Exception {
        SimulatedSiteRig rig =
                new SimulatedSiteRig(SimulatedSiteRig.siteYaml(1, 1, 2, 25, 200), EngineSettings.defaults(), 3, 0.01);
        Instant start = SimulatedSiteRig.START;
        // 40 USD/MWh for 10 minutes, 85 for 30 (above the old miners' break-even + the 5 margin,
        // below the efficient ones'), then 40 again: points every 5 minutes for 2 hours.
        List<PricePoint> energy = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Instant at = start.plus(Duration.ofMinutes(5L * i));
            energy.add(new PricePoint(at, i >= 2 && i < 8 ? 85 : 40));
        }
        Market market = Market.of(
                MarketRoutesFixture.config(),
                "sim",
                Map.of(
                        MarketInput.HASHPRICE,
                        MarketRoutesFixture.fixed(PriceSeries.of(List.of(new PricePoint(start, HASHPRICE)))),
                        MarketInput.ENERGY_RT,
                        MarketRoutesFixture.fixed(PriceSeries.of(energy)),
                        MarketInput.AI_CAPACITY,
                        MarketRoutesFixture.fixed(PriceSeries.of(List.of(new PricePoint(start, 0.25))))),
                MarketState.initial());
        MarketTargets targets = new MarketTargets(TargetSource.NONE, market);
        Set<String> old = rig.models.entrySet().stream()
                .filter(e -> e.getValue().equals("sim-old"))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(old).isNotEmpty().hasSizeLessThan(rig.miners.size());

        // Before the spike and through its first two intervals: nothing.
        while (rig.now.isBefore(start.plus(Duration.ofMinutes(19)))) {
            assertThat(rig.tickWith(targets).actions()).isEmpty();
        }
        // The third interval above: the old model is struck, its miners slept, nothing else touched.
        for (int i = 0; i < 120; i++) {
            rig.tickWith(targets);
        }
        Set<String> slept = rig.actions.stream()
                .filter(a -> a.kind() == ActionKind.SLEEP)
                .map(Action::deviceId)
                .collect(Collectors.toSet());
        assertThat(slept).isEqualTo(old);
        assertThat(rig.actions).allSatisfy(a -> {
            assertThat(a.constraint().kind()).isEqualTo(ConstraintKind.MARKET);
            assertThat(a.reason()).startsWith("market: ").contains("85.0");
        });
        for (String id : old) {
            assertThat(rig.miners.get(id).snapshot().powerWatts()).isLessThan(500);
        }

        // Back to 40 at 40 min; the third interval under (the point at 50 min) resumes the model, and the engine's
        // restore (dwell, cooldown, staggered batches) wakes every one of them.
        int shed = rig.actions.size();
        while (rig.now.isBefore(start.plus(Duration.ofMinutes(50)))) {
            rig.tickWith(targets);
        }
        assertThat(rig.actions.subList(shed, rig.actions.size())).noneMatch(Action::restore);
        while (rig.now.isBefore(start.plus(Duration.ofMinutes(100)))) {
            rig.tickWith(targets);
        }
        Set<String> woken = rig.actions.stream()
                .filter(a -> a.kind() == ActionKind.WAKE)
                .map(Action::deviceId)
                .collect(Collectors.toSet());
        assertThat(woken).isEqualTo(old);
        assertThat(rig.actions).noneMatch(a -> rig.gpus.containsKey(a.deviceId()));

        double curtailedKwh = market.ledger().hours().values().stream()
                .mapToDouble(LedgerHour::curtailedKwh)
                .sum();
        assertThat(curtailedKwh).as("the ledger counts the curtailed energy").isPositive();
        assertThat(market.ledger().hours().values().stream()
                        .mapToDouble(LedgerHour::counterfactualCostUsd)
                        .sum())
                .isGreaterThan(market.ledger().hours().values().stream()
                        .mapToDouble(LedgerHour::energyCostUsd)
                        .sum());
    }
}
