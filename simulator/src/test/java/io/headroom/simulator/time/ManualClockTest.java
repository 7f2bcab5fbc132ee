package io.headroom.simulator.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    private static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");

    @Test
    void advance_movesTimeAndSharesItWithZonedViews() {
        ManualClock clock = new ManualClock(T0);
        var zoned = clock.withZone(ZoneId.of("Europe/Paris"));
        clock.advance(Duration.ofSeconds(90));
        assertThat(clock.instant()).isEqualTo(T0.plusSeconds(90));
        assertThat(zoned.instant()).isEqualTo(T0.plusSeconds(90));
    }

    @Test
    void goingBackwards_isRefused() {
        ManualClock clock = new ManualClock(T0);
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).hasMessageContaining("step");
        assertThatThrownBy(() -> clock.set(T0.minusSeconds(1))).hasMessageContaining("instant");
        assertThat(clock.instant()).isEqualTo(T0);
    }
}
