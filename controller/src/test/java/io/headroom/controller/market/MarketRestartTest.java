package io.headroom.controller.market;

import static io.headroom.controller.market.MarketEvaluatorTest.FLEET;
import static io.headroom.controller.market.MarketEvaluatorTest.STEP;
import static io.headroom.controller.market.MarketEvaluatorTest.T0;
import static io.headroom.controller.market.MarketEvaluatorTest.rules;
import static io.headroom.controller.market.MarketEvaluatorTest.struck;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The strike rules across a restart, in stepped time: the state written down (through the journal
 * record's JSON) and read back continues the dwell where it stood, and a struck model stays struck
 * while the fleet right after the restart does not hold it yet. (N = 3 intervals to strike, M = 2 to
 * resume; an S19 breaks even at 60.4 USD/MWh.)
 */
class MarketRestartTest {
    private int interval;

    private static MarketInputs at(Instant at, double energy) {
        return new MarketInputs(Map.of(
                MarketInput.HASHPRICE, new PricePoint(at, 50),
                MarketInput.ENERGY_RT, new PricePoint(at, energy)));
    }

    private MarketDecision next(MarketEvaluator evaluator, double energy, List<ModelEconomics> fleet) {
        Instant at = T0.plus(STEP.multipliedBy(interval++));
        return evaluator.evaluate(at, at(at, energy), fleet);
    }

    /** What a restart does: the state goes through the journal's JSON into a new evaluator. */
    private static MarketEvaluator restarted(MarketEvaluator before) {
        return new MarketEvaluator(rules(), MarketStateJson.fromJson(MarketStateJson.toJson(before.snapshot())));
    }

    @Test
    void aRestartMidDwell_continuesTheCount_evenWhenTheFirstFleetAfterItIsEmpty() {
        MarketEvaluator before = new MarketEvaluator(rules());
        assertThat(struck(next(before, 85, FLEET))).isEmpty();
        assertThat(struck(next(before, 85, FLEET))).isEmpty();

        MarketEvaluator after = restarted(before);
        // Nothing read back yet: the same interval again, with no fleet.
        interval--;
        assertThat(struck(next(after, 85, List.of()))).isEmpty();
        assertThat(after.snapshot().targets()).containsKey("model:Antminer S19");

        assertThat(struck(next(after, 85, FLEET)))
                .as("the third interval above, two of them before the restart")
                .containsExactly("Antminer S19");
    }

    @Test
    void aStruckModel_staysStruckAcrossARestart_andItsResumeCountContinues() {
        MarketEvaluator before = new MarketEvaluator(rules());
        for (int i = 0; i < 3; i++) {
            next(before, 85, FLEET);
        }
        assertThat(struck(next(before, 40, FLEET)))
                .as("one interval below of M = 2")
                .containsExactly("Antminer S19");
        Instant since =
                before.snapshot().targets().get("model:Antminer S19").since().orElseThrow();

        MarketEvaluator after = restarted(before);
        interval--;
        MarketDecision empty = next(after, 40, List.of());
        assertThat(struck(empty))
                .as("struck while its miners are not read back yet")
                .containsExactly("Antminer S19");
        assertThat(empty.strikes().get(0).since()).isEqualTo(since);

        assertThat(struck(next(after, 40, FLEET)))
                .as("the second interval below")
                .isEmpty();
    }

    @Test
    void aRestoredTargetThatNeverComesBack_isForgottenAfterResumeAfterIntervals() {
        MarketEvaluator before = new MarketEvaluator(rules());
        for (int i = 0; i < 3; i++) {
            next(before, 85, FLEET);
        }
        MarketEvaluator after = restarted(before);
        List<ModelEconomics> onlyS21 = List.of(MarketEvaluatorTest.S21);

        assertThat(struck(next(after, 85, onlyS21))).contains("Antminer S19");
        assertThat(struck(next(after, 85, onlyS21))).doesNotContain("Antminer S19");
        assertThat(after.snapshot().targets()).doesNotContainKey("model:Antminer S19");
    }

    @Test
    void withoutTheState_theCountWouldStartAgain() {
        MarketEvaluator fresh = new MarketEvaluator(rules());
        interval = 2;
        assertThat(struck(next(fresh, 85, FLEET))).isEmpty();
    }
}
