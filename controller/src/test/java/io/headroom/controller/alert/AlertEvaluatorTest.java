package io.headroom.controller.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.SteppableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The alert state machine in stepped time: pending, firing after {@code for:}, cleared at once. */
class AlertEvaluatorTest {

    private final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final AlertEvaluator evaluator = new AlertEvaluator(AlertSettings.DEFAULTS);
    private final Condition hot = new Condition(AlertRule.DEVICE_HOT, "m1", "m1 hot");

    private List<ActiveAlert> step(Duration by, Condition... holding) {
        clock.advance(by);
        return evaluator.update(List.of(holding), clock.instant());
    }

    @Test
    void aCondition_firesOnlyOnceItHasHeldForItsFor_andClearsWhenItStopsHolding() {
        Instant began = clock.instant();
        assertThat(step(Duration.ZERO, hot)).isEmpty();
        assertThat(evaluator.pending()).isEqualTo(1);
        assertThat(step(Duration.ofMinutes(5).minusSeconds(1), hot)).isEmpty();

        List<ActiveAlert> firing = step(Duration.ofSeconds(1), hot);

        assertThat(firing).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(AlertRule.DEVICE_HOT);
            assertThat(a.subject()).isEqualTo("m1");
            assertThat(a.since()).isEqualTo(began);
            assertThat(a.firingSince()).isEqualTo(clock.instant());
        });
        assertThat(evaluator.pending()).isZero();
        assertThat(step(Duration.ofMinutes(30), hot)).hasSize(1);

        assertThat(step(Duration.ofSeconds(15))).isEmpty();
        assertThat(evaluator.pending()).isZero();
    }

    @Test
    void aConditionThatBreaksOff_startsItsForAgain() {
        step(Duration.ZERO, hot);
        step(Duration.ofMinutes(4), hot);
        step(Duration.ofSeconds(15));

        assertThat(step(Duration.ofSeconds(15), hot)).isEmpty();
        assertThat(step(Duration.ofMinutes(4), hot)).isEmpty();
        assertThat(step(Duration.ofMinutes(1), hot)).hasSize(1);
    }

    @Test
    void eachRule_usesItsOwnFor_andSubjectsAreTrackedApart() {
        Condition stale = new Condition(AlertRule.AGENT_STALE, "a1", "a1 stale");
        Condition hot2 = new Condition(AlertRule.DEVICE_HOT, "m2", "m2 hot");
        step(Duration.ZERO, hot, stale);
        assertThat(step(Duration.ofMinutes(2), hot, stale))
                .extracting(ActiveAlert::subject)
                .containsExactly("a1");
        List<ActiveAlert> firing = step(Duration.ofMinutes(3), hot, stale, hot2);
        // Critical first, then oldest first.
        assertThat(firing).extracting(ActiveAlert::subject).containsExactly("a1", "m1");
        assertThat(evaluator.pending()).isEqualTo(1);
    }

    @Test
    void theLatestSummary_isShown() {
        step(Duration.ZERO, hot);
        List<ActiveAlert> firing =
                step(Duration.ofMinutes(5), new Condition(AlertRule.DEVICE_HOT, "m1", "m1 at 97 °C"));
        assertThat(firing).singleElement().extracting(ActiveAlert::summary).isEqualTo("m1 at 97 °C");
    }

    @Test
    void journalErrorWindow_growthWithinTheWindow_holdsUntilItLeavesIt() {
        JournalErrorWindow window = new JournalErrorWindow(Duration.ofMinutes(10));
        Instant t = clock.instant();
        assertThat(window.grew(0, t)).isFalse();
        assertThat(window.grew(1, t.plusSeconds(15))).isTrue();
        assertThat(window.grew(1, t.plusSeconds(600))).isTrue();
        assertThat(window.grew(1, t.plusSeconds(616))).isFalse();
    }
}
