package io.headroom.controller.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The strike rules in simulated time. Hashprice 50 USD/PH/day: an S19 at 34.5 J/TH breaks even at
 * 50 / (24 × 34.5) × 1000 = 60.39 USD/MWh, an S21 at 17.5 J/TH at 119.05 USD/MWh; margin 5.
 */
class MarketEvaluatorTest {
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(5);
    static final ModelEconomics S19 = ModelEconomics.ofProfile("Antminer S19", "hashing", 34.5);
    static final ModelEconomics S21 = ModelEconomics.ofProfile("Antminer S21", "hashing", 17.5);
    static final List<ModelEconomics> FLEET = List.of(S19, S21);

    static StrikeRules rules(MarketConfig.Fallback fallback, double hysteresis, int n, int m, List<String> classes) {
        return new StrikeRules(
                MarketInput.ENERGY_RT,
                Map.of(MarketInput.HASHPRICE, Duration.ofDays(2), MarketInput.ENERGY_RT, Duration.ofMinutes(15)),
                fallback,
                5,
                hysteresis,
                n,
                m,
                classes);
    }

    static StrikeRules rules() {
        return rules(MarketConfig.Fallback.curtail(), 0, 3, 2, List.of());
    }

    /** Feeds one energy price per 5-minute interval, evaluating {@code callsPerInterval} times in each. */
    static final class Run {
        final MarketEvaluator evaluator;
        final PricePoint hashprice = new PricePoint(T0.minus(Duration.ofHours(1)), 50);
        int interval;
        MarketDecision last;

        Run(MarketEvaluator evaluator) {
            this.evaluator = evaluator;
        }

        MarketDecision price(double usdPerMwh, int callsPerInterval) {
            Instant at = T0.plus(STEP.multipliedBy(interval++));
            // A fresh hashprice every interval: a long run must not go stale on it.
            MarketInputs inputs = new MarketInputs(Map.of(
                    MarketInput.HASHPRICE, new PricePoint(at, hashprice.value()),
                    MarketInput.ENERGY_RT, new PricePoint(at, usdPerMwh)));
            for (int i = 0; i < callsPerInterval; i++) {
                last = evaluator.evaluate(at.plusSeconds(i * 30L), inputs, FLEET);
            }
            return last;
        }

        MarketDecision price(double usdPerMwh) {
            return price(usdPerMwh, 1);
        }
    }

    static List<String> struck(MarketDecision decision) {
        return decision.strikes().stream().map(Strike::name).toList();
    }

    @Test
    void breakEven_perModel_fromTheFormula() {
        MarketDecision decision = new Run(new MarketEvaluator(rules())).price(10);

        assertThat(decision.models()).extracting(BreakEven::model).containsExactly("Antminer S19", "Antminer S21");
        assertThat(decision.models().get(0).breakEvenUsdPerMwh())
                .isCloseTo(60.386, org.assertj.core.data.Offset.offset(0.001));
        assertThat(decision.models().get(1).breakEvenUsdPerMwh())
                .isCloseTo(119.048, org.assertj.core.data.Offset.offset(0.001));
        assertThat(decision.models().get(0).source()).isEqualTo(EfficiencySource.PROFILE);
        assertThat(decision.policy()).isEqualTo(MarketEvaluator.PRICES);
        assertThat(decision.strikes()).isEmpty();
    }

    @Test
    void aSpikeShorterThanN_changesNothing_howeverOftenItIsEvaluated() {
        Run run = new Run(new MarketEvaluator(rules()));
        run.price(40);
        assertThat(run.price(500, 20).strikes()).isEmpty();
        assertThat(run.price(500, 20).strikes())
                .as("two intervals, forty calls")
                .isEmpty();
        assertThat(run.price(40).strikes()).isEmpty();
        assertThat(run.price(500).strikes())
                .as("the run was broken: one interval again")
                .isEmpty();
    }

    @Test
    void nIntervalsAbove_strikesExactlyTheModelsWhoseBreakEvenThePricePasses() {
        Run run = new Run(new MarketEvaluator(rules()));
        assertThat(run.price(100).strikes()).isEmpty();
        assertThat(run.price(100).strikes()).isEmpty();
        MarketDecision third = run.price(100);

        assertThat(third.strikes()).singleElement().satisfies(strike -> {
            assertThat(strike.kind()).isEqualTo(Strike.Kind.MODEL);
            assertThat(strike.name()).isEqualTo("Antminer S19");
            assertThat(strike.since()).isEqualTo(T0.plus(STEP.multipliedBy(2)));
            assertThat(strike.reason())
                    .startsWith("energy 100.0 USD/MWh above Antminer S19 break-even 60.4 + margin 5.0 for 3 intervals")
                    .contains("profile 34.5 J/TH", "hashprice 50.0 USD/PH/day");
        });
        assertThat(third.isStruck(S19)).isTrue();
        assertThat(third.isStruck(S21)).isFalse();

        // 124.0 is below S21's 119.05 + 5; 124.1 is above it.
        run.price(124.0);
        run.price(124.1);
        run.price(124.1);
        assertThat(struck(run.price(124.1))).containsExactlyInAnyOrder("Antminer S19", "Antminer S21");
        assertThat(run.last.strike(S19).orElseThrow().since())
                .as("the first strike's start stays")
                .isEqualTo(T0.plus(STEP.multipliedBy(2)));
    }

    @Test
    void resume_afterMIntervalsBelow_thresholdLessHysteresis() {
        Run run = new Run(new MarketEvaluator(rules(MarketConfig.Fallback.curtail(), 10, 3, 2, List.of())));
        run.price(100);
        run.price(100);
        assertThat(struck(run.price(100))).containsExactly("Antminer S19");

        // S19 resumes below 60.39 + 5 - 10 = 55.39: 60 is below break-even + margin but inside the band.
        assertThat(struck(run.price(60))).containsExactly("Antminer S19");
        assertThat(struck(run.price(60))).containsExactly("Antminer S19");
        assertThat(struck(run.price(55, 5)))
                .as("one interval below, however many calls")
                .containsExactly("Antminer S19");
        assertThat(struck(run.price(60))).as("the run was broken").containsExactly("Antminer S19");
        assertThat(struck(run.price(55))).containsExactly("Antminer S19");
        assertThat(run.price(55).strikes()).as("two intervals below").isEmpty();
    }

    @Test
    void anOscillatingPrice_neverFlaps() {
        Run run = new Run(new MarketEvaluator(rules()));
        for (int i = 0; i < 500; i++) {
            assertThat(run.price(i % 3 == 2 ? 30 : 400).strikes())
                    .as("interval %d", i)
                    .isEmpty();
        }
        // Once struck, a price that dips below for fewer than M intervals never frees it.
        run.price(400);
        run.price(400);
        run.price(400);
        for (int i = 0; i < 500; i++) {
            assertThat(struck(run.price(i % 2 == 0 ? 30 : 400)))
                    .as("interval %d", i)
                    .containsExactlyInAnyOrder("Antminer S19", "Antminer S21");
        }
    }

    @Test
    void aRandomWalkAroundBreakEven_everyChangeFollowsAFullDwell() {
        int n = 3;
        int m = 4;
        Run run = new Run(new MarketEvaluator(rules(MarketConfig.Fallback.curtail(), 2, n, m, List.of())));
        Random random = new Random(42);
        List<Double> prices = new ArrayList<>();
        boolean struck = false;
        int changes = 0;
        for (int i = 0; i < 5000; i++) {
            double price = 65.39 + random.nextGaussian() * 8;
            prices.add(price);
            boolean now = run.price(price).isStruck(S19);
            if (now != struck) {
                changes++;
                List<Double> tail = prices.subList(prices.size() - (now ? n : m), prices.size());
                if (now) {
                    assertThat(tail).as("strike at %d", i).allMatch(p -> p > 65.386);
                } else {
                    assertThat(tail).as("resume at %d", i).allMatch(p -> p < 63.386);
                }
                struck = now;
            }
        }
        assertThat(changes).as("the walk does cross, both ways").isGreaterThan(10);
    }

    @Test
    void aStaleEnergyPrice_curtailPolicy_strikesEveryModelAtOnce() {
        MarketEvaluator evaluator = new MarketEvaluator(rules());
        Run run = new Run(evaluator);
        run.price(10);
        Instant at = T0.plus(Duration.ofMinutes(21)); // the last point, at T0, is 21 minutes old
        MarketDecision decision = evaluator.evaluate(
                at,
                new MarketInputs(
                        Map.of(MarketInput.HASHPRICE, run.hashprice, MarketInput.ENERGY_RT, new PricePoint(T0, 10))),
                FLEET);

        assertThat(struck(decision)).containsExactly("Antminer S19", "Antminer S21");
        assertThat(decision.policy())
                .startsWith("fallback curtail: energy-rt stale")
                .contains("PT21M old");
        assertThat(decision.strikes().get(0).reason()).contains("energy-rt stale", "max age PT15M");
        assertThat(decision.fallback()).isTrue();

        // A missing feed is no better than a stale one.
        MarketDecision missing = new MarketEvaluator(rules())
                .evaluate(at, new MarketInputs(Map.of(MarketInput.HASHPRICE, run.hashprice)), FLEET);
        assertThat(struck(missing)).containsExactly("Antminer S19", "Antminer S21");
        assertThat(missing.policy()).contains("energy-rt missing");
    }

    @Test
    void aStaleEnergyPrice_assumePricePolicy_usesTheAssumedPrice() {
        MarketInputs stale = new MarketInputs(
                Map.of(MarketInput.HASHPRICE, new PricePoint(T0, 50), MarketInput.ENERGY_RT, new PricePoint(T0, 500)));
        Instant later = T0.plus(Duration.ofHours(1));

        MarketDecision at100 = new MarketEvaluator(rules(MarketConfig.Fallback.assumePrice(100), 0, 3, 2, List.of()))
                .evaluate(later, stale, FLEET);
        assertThat(struck(at100)).containsExactly("Antminer S19");
        assertThat(at100.strikePrice()).contains(100.0);
        assertThat(at100.policy()).startsWith("fallback assume-price 100.0 USD/MWh: energy-rt stale");
        assertThat(at100.strikes().get(0).reason())
                .startsWith("fallback assume-price: assumed energy 100.0 USD/MWh above Antminer S19 break-even 60.4");

        MarketDecision at150 = new MarketEvaluator(rules(MarketConfig.Fallback.assumePrice(150), 0, 3, 2, List.of()))
                .evaluate(later, stale, FLEET);
        assertThat(struck(at150)).containsExactly("Antminer S19", "Antminer S21");

        MarketDecision at20 = new MarketEvaluator(rules(MarketConfig.Fallback.assumePrice(20), 0, 3, 2, List.of()))
                .evaluate(later, stale, FLEET);
        assertThat(at20.strikes()).as("the stale 500 is not used").isEmpty();
    }

    @Test
    void aMissingHashprice_curtailsUnderEitherPolicy_unlessAHashpriceIsAssumed() {
        MarketInputs noHashprice = new MarketInputs(Map.of(MarketInput.ENERGY_RT, new PricePoint(T0, 10)));
        for (MarketConfig.Fallback fallback :
                List.of(MarketConfig.Fallback.curtail(), MarketConfig.Fallback.assumePrice(10))) {
            MarketDecision decision =
                    new MarketEvaluator(rules(fallback, 0, 3, 2, List.of())).evaluate(T0, noHashprice, FLEET);
            assertThat(struck(decision)).as("%s", fallback.policy()).containsExactly("Antminer S19", "Antminer S21");
            assertThat(decision.strikes().get(0).reason()).contains("hashprice missing");
            assertThat(decision.models()).isEmpty();
        }
        MarketConfig.Fallback assumed =
                new MarketConfig.Fallback(FallbackPolicy.CURTAIL, Optional.empty(), Optional.of(50.0));
        MarketDecision decision =
                new MarketEvaluator(rules(assumed, 0, 3, 2, List.of())).evaluate(T0, noHashprice, FLEET);
        assertThat(decision.strikes()).isEmpty();
        assertThat(decision.policy()).startsWith("fallback assume-hashprice 50.0 USD/PH/day");
    }

    @Test
    void theState_survivesARestart_andAPointIsNeverCountedTwice() {
        MarketEvaluator before = new MarketEvaluator(rules());
        Run run = new Run(before);
        run.price(100);
        run.price(100);
        MarketState written = before.snapshot();

        MarketEvaluator after = new MarketEvaluator(rules(), written);
        Instant at = T0.plus(STEP);
        MarketInputs same = new MarketInputs(
                Map.of(MarketInput.HASHPRICE, run.hashprice, MarketInput.ENERGY_RT, new PricePoint(at, 100)));
        assertThat(after.evaluate(at.plusSeconds(60), same, FLEET).strikes())
                .as("the second interval again, after the restart")
                .isEmpty();
        Run resumed = new Run(after);
        resumed.interval = 2;
        assertThat(struck(resumed.price(100))).containsExactly("Antminer S19");
        assertThat(after.snapshot().targets().get("model:Antminer S19").struck())
                .isTrue();
    }

    @Test
    void aPointEarlierThanTheLastCounted_countsNothing() {
        MarketEvaluator evaluator = new MarketEvaluator(rules());
        Run run = new Run(evaluator);
        run.price(100);
        run.price(100);
        MarketInputs older = new MarketInputs(
                Map.of(MarketInput.HASHPRICE, new PricePoint(T0, 50), MarketInput.ENERGY_RT, new PricePoint(T0, 100)));
        assertThat(evaluator.evaluate(T0.plus(STEP), older, FLEET).strikes()).isEmpty();
        assertThat(evaluator.snapshot().lastInterval()).contains(T0.plus(STEP));
        assertThat(struck(run.price(100))).as("the third interval").containsExactly("Antminer S19");
    }

    @Test
    void aClassStruckAsAWhole_usesItsHashrateWeightedEfficiency() {
        ModelEconomics s19 =
                new ModelEconomics("Antminer S19", "hashing", OptionalDouble.of(30), OptionalDouble.of(34.5), 300);
        ModelEconomics s21 =
                new ModelEconomics("Antminer S21", "hashing", OptionalDouble.empty(), OptionalDouble.of(18), 100);
        MarketEvaluator evaluator =
                new MarketEvaluator(rules(MarketConfig.Fallback.curtail(), 0, 1, 1, List.of("hashing")));
        MarketInputs inputs = new MarketInputs(
                Map.of(MarketInput.HASHPRICE, new PricePoint(T0, 48), MarketInput.ENERGY_RT, new PricePoint(T0, 75)));

        MarketDecision decision = evaluator.evaluate(T0, inputs, List.of(s19, s21));

        // (30 × 300 + 18 × 100) / 400 = 27 J/TH; 48 / (24 × 27) × 1000 = 74.07; + 5 = 79.07 > 75.
        assertThat(decision.classes()).singleElement().satisfies(be -> {
            assertThat(be.jPerTh()).isEqualTo(27.0);
            assertThat(be.source()).isEqualTo(EfficiencySource.PROFILE);
        });
        assertThat(decision.models())
                .extracting(BreakEven::source)
                .containsExactly(EfficiencySource.MEASURED, EfficiencySource.PROFILE);
        assertThat(decision.strikes()).isEmpty();

        MarketDecision high = evaluator.evaluate(
                T0.plus(STEP),
                inputs.with(MarketInput.ENERGY_RT, new PricePoint(T0.plus(STEP), 80)),
                List.of(s19, s21));
        assertThat(high.strikes()).singleElement().satisfies(strike -> {
            assertThat(strike.kind()).isEqualTo(Strike.Kind.CLASS);
            assertThat(strike.name()).isEqualTo("hashing");
            assertThat(strike.reason()).startsWith("energy 80.0 USD/MWh above class hashing break-even 74.1");
        });
        assertThat(high.isStruck(s19)).isTrue();
        assertThat(high.isStruck(ModelEconomics.ofProfile("Whatsminer M50", "hashing-spare", 26)))
                .isFalse();
    }

    @Test
    void aModelWithNoUsableEfficiency_isStruck_andABadMeasurementFallsBackToTheProfile() {
        ModelEconomics unknown =
                new ModelEconomics("Mystery", "hashing", OptionalDouble.of(Double.NaN), OptionalDouble.empty(), 0);
        ModelEconomics zero = new ModelEconomics("S9", "hashing", OptionalDouble.of(0), OptionalDouble.of(98), 0);
        MarketDecision decision = new MarketEvaluator(rules())
                .evaluate(
                        T0,
                        new MarketInputs(Map.of(
                                MarketInput.HASHPRICE,
                                new PricePoint(T0, 50),
                                MarketInput.ENERGY_RT,
                                new PricePoint(T0, 1))),
                        List.of(unknown, zero));

        assertThat(decision.strikes()).singleElement().satisfies(strike -> {
            assertThat(strike.name()).isEqualTo("Mystery");
            assertThat(strike.reason()).isEqualTo("no J/TH known for Mystery (neither measured nor profile)");
        });
        assertThat(decision.models()).singleElement().satisfies(be -> {
            assertThat(be.model()).isEqualTo("S9");
            assertThat(be.source()).isEqualTo(EfficiencySource.PROFILE);
            assertThat(be.jPerTh()).isEqualTo(98.0);
        });
    }
}
