package io.headroom.simulator.miner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.headroom.protocol.Mode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link MinerModel#advanceTo(Instant, Duration)}: a coarse integration step lands where the fine one does. */
class MinerModelCoarseStepTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void tenSecondStepsReachTheSameSleepAndWakeStatesAsTheDefault() {
        MinerModel fine = new MinerModel(MinerSpec.S19_XP, 4, 25.0, T0);
        MinerModel coarse = new MinerModel(MinerSpec.S19_XP, 4, 25.0, T0);
        Duration step = Duration.ofSeconds(10);
        Instant t = T0.plus(Duration.ofMinutes(10));
        fine.advanceTo(t);
        coarse.advanceTo(t, step);
        assertThat(coarse.powerWatts()).isCloseTo(fine.powerWatts(), within(3010 * 0.01));
        assertThat(coarse.hashrateThs()).isCloseTo(fine.hashrateThs(), within(140 * 0.02));
        assertThat(coarse.snapshot().powerWatts()).isEqualTo(coarse.powerWatts());

        fine.sleep();
        coarse.sleep();
        t = t.plus(Duration.ofMinutes(5));
        fine.advanceTo(t);
        coarse.advanceTo(t, step);
        assertThat(coarse.mode()).isEqualTo(Mode.SLEEP);
        assertThat(coarse.powerWatts()).isCloseTo(fine.powerWatts(), within(20.0));
        assertThat(coarse.hashrateThs()).isZero();

        fine.wakeUp();
        coarse.wakeUp();
        t = t.plus(Duration.ofMinutes(10));
        fine.advanceTo(t);
        coarse.advanceTo(t, step);
        assertThat(coarse.powerWatts()).isCloseTo(fine.powerWatts(), within(3010 * 0.01));
        assertThat(coarse.powerWatts()).isGreaterThan(2900);
    }

    @Test
    void aStepThatIsNotPositiveIsRefused() {
        MinerModel model = new MinerModel(MinerSpec.S19_XP, 1, 25.0, T0);
        assertThatThrownBy(() -> model.advanceTo(T0.plusSeconds(5), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxStep");
    }
}
