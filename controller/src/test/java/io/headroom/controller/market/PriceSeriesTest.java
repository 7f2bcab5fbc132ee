package io.headroom.controller.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceSeriesTest {
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final PriceSeries SERIES = PriceSeries.of(List.of(
            new PricePoint(T0, 10), new PricePoint(T0.plusSeconds(300), 20), new PricePoint(T0.plusSeconds(900), 30)));

    @Test
    void theValueAtT_isTheLatestPointAtOrBeforeIt() {
        assertThat(SERIES.at(T0.minusNanos(1))).isEmpty();
        assertThat(SERIES.at(T0)).contains(new PricePoint(T0, 10));
        assertThat(SERIES.at(T0.plusSeconds(299))).contains(new PricePoint(T0, 10));
        assertThat(SERIES.at(T0.plusSeconds(300))).contains(new PricePoint(T0.plusSeconds(300), 20));
        assertThat(SERIES.at(T0.plus(Duration.ofDays(9)))).contains(new PricePoint(T0.plusSeconds(900), 30));
    }

    @Test
    void intervals_runToTheNextPoint_theLastAsLongAsTheOneBefore() {
        assertThat(SERIES.interval(0)).contains(Duration.ofMinutes(5));
        assertThat(SERIES.interval(1)).contains(Duration.ofMinutes(10));
        assertThat(SERIES.interval(2)).contains(Duration.ofMinutes(10));
        assertThat(PriceSeries.of(List.of(new PricePoint(T0, 1))).interval(0)).isEmpty();
    }

    @Test
    void between_includesThePointInForceAtTheStart() {
        assertThat(SERIES.between(T0.plusSeconds(60), T0.plusSeconds(900)).points())
                .extracting(PricePoint::value)
                .containsExactly(10.0, 20.0);
        assertThat(SERIES.between(T0.minusSeconds(60), T0).points()).isEmpty();
    }

    @Test
    void pointsOutOfOrder_orNotFinite_areRefused() {
        assertThatThrownBy(() -> PriceSeries.of(List.of(new PricePoint(T0, 1), new PricePoint(T0, 2))))
                .hasMessageStartingWith("points: point 2 at 2026-12-01T00:00:00Z is not after point 1");
        assertThatThrownBy(() -> new PricePoint(T0, Double.POSITIVE_INFINITY))
                .hasMessage("value: Infinity is not a finite number");
    }

    @Test
    void append_keepsTheNewestAndIgnoresOlderPoints() {
        PriceSeries kept = SERIES.append(new PricePoint(T0.plusSeconds(1200), 40), 2);
        assertThat(kept.points()).extracting(PricePoint::value).containsExactly(30.0, 40.0);
        assertThat(kept.append(new PricePoint(T0, 99), 2)).isSameAs(kept);
        assertThat(kept.append(new PricePoint(T0.plusSeconds(1200), 41), 2).points())
                .extracting(PricePoint::value)
                .as("a revised price replaces the one at the same time")
                .containsExactly(30.0, 41.0);
    }
}
