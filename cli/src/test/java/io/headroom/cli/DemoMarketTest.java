package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.config.ControllerConfigLoader;
import io.headroom.controller.market.InputStatus;
import io.headroom.controller.market.Market;
import io.headroom.controller.market.MarketDecision;
import io.headroom.controller.market.MarketState;
import io.headroom.controller.market.ModelEconomics;
import io.headroom.controller.market.PricePoint;
import io.headroom.controller.market.PriceSeries;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's market: the files it writes load as the controller loads them and cover the demo's run;
 * run through the real market in simulated minutes, calm prices never strike the demo's S19 XP
 * (21.5 J/TH), and a spike strikes it after three intervals and frees it three after the spike.
 */
class DemoMarketTest {
    private static final Instant START = Instant.parse("2026-12-01T22:41:17Z");
    private static final List<ModelEconomics> FLEET = List.of(
            new ModelEconomics("Antminer S19 XP", "hashing", OptionalDouble.of(21.5), OptionalDouble.empty(), 280));

    @TempDir
    Path dir;

    private Market open(DemoMarket market) throws Exception {
        DemoOptions options = new DemoOptions("demo", 2, 1, "127.0.0.1", 0, 0, 42L, Duration.ofSeconds(1), dir);
        Path yaml = DemoConfigFiles.write(
                dir.resolve("controller.yaml"),
                DemoConfigFiles.controllerYaml(options, DemoConfigFiles.apiUsers(dir))
                        + market.write(dir, options.seed(), START));
        ControllerConfig config = ControllerConfigLoader.load(yaml);
        return Market.open(config.market().orElseThrow(), "demo", MarketState.initial());
    }

    /** The decision after each simulated minute from the start for {@code minutes}. */
    private static List<MarketDecision> run(Market market, int minutes) {
        List<MarketDecision> decisions = new ArrayList<>();
        for (int m = 0; m <= minutes; m++) {
            decisions.add(market.decide(START.plus(Duration.ofMinutes(m)).plusSeconds(5), FLEET));
        }
        return decisions;
    }

    @Test
    void calmPrices_coverTheRunBelowTheCap_andNeverStrikeTheDemoMiners() throws Exception {
        PriceSeries energy = DemoMarket.calm().energy(42, START);
        assertThat(energy.points()).allSatisfy(p -> assertThat(p.value()).isLessThanOrEqualTo(50));
        assertThat(energy.points().get(0).at()).isEqualTo(Instant.parse("2026-12-01T21:41:00Z"));
        assertThat(energy.points().get(energy.points().size() - 1).at())
                .isAfter(START.plus(Duration.ofDays(2)).minus(Duration.ofHours(2)));

        Market market = open(DemoMarket.calm());
        try {
            assertThat(market.inputStatuses(START))
                    .extracting(InputStatus::stale)
                    .containsOnly(false)
                    .hasSize(3);
            List<MarketDecision> decisions = run(market, 30);
            assertThat(decisions).allSatisfy(d -> {
                assertThat(d.policy()).isEqualTo("prices");
                assertThat(d.strikes()).isEmpty();
            });
            assertThat(decisions.get(0).models().get(0).breakEvenUsdPerMwh())
                    .isCloseTo(1000 * 55 / (24 * 21.5), org.assertj.core.data.Offset.offset(1e-9));
        } finally {
            market.close();
        }
    }

    @Test
    void aSpike_strikesAfterThreeIntervals_andFreesThreeAfterIt() throws Exception {
        PriceSeries energy = DemoMarket.withSpike(300).energy(42, START);
        assertThat(energy.points())
                .filteredOn(p -> p.value() == 300)
                .extracting(PricePoint::at)
                .first()
                .isEqualTo(Instant.parse("2026-12-01T22:44:00Z")); // the first minute at or after start + 2 min
        assertThat(energy.points()).filteredOn(p -> p.value() == 300).hasSize(10);

        Market market = open(DemoMarket.withSpike(300));
        try {
            List<MarketDecision> decisions = run(market, 20);
            List<Integer> struck = new ArrayList<>();
            for (int m = 0; m < decisions.size(); m++) {
                if (!decisions.get(m).strikes().isEmpty()) {
                    struck.add(m);
                }
            }
            // Minute 0 is 22:41:22; the spike holds 22:44..22:53: the third interval above is 22:46 (minute 5),
            // the third below is 22:56 (minute 15), when the strike ends.
            assertThat(struck).containsExactly(5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
            assertThat(decisions.get(5).strikes().get(0).reason()).contains("300");
        } finally {
            market.close();
        }
    }

    @Test
    void theDemoCommand_refusesASpikeOutOfRange_withExit2AndOneLine_beforeStartingAnything() {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = Headroom.commandLine()
                .setOut(new java.io.PrintWriter(out, true))
                .setErr(new java.io.PrintWriter(err, true))
                .execute("demo", "--price-spike", "-5", "--work-dir", dir.toString(), "--http-port", "0");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo("headroom: --price-spike: must be between 0 and 10000 USD/MWh, was -5.0");
        assertThat(out.toString()).isEmpty();
        assertThat(dir.resolve("controller.yaml")).doesNotExist();
    }

    @Test
    void aSpikeOutOfRange_isRefusedWithTheOption() {
        assertThatThrownBy(() -> DemoMarket.withSpike(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--price-spike: must be between 0 and 10000 USD/MWh, was -1.0");
        assertThatThrownBy(() -> DemoMarket.withSpike(Double.NaN)).hasMessageContaining("was NaN");
    }
}
