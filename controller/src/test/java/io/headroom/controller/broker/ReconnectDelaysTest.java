package io.headroom.controller.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconnectDelaysTest {

    @Test
    void delays_doubleUpToTheCap_eachInTheUpperHalfOfItsCeiling() {
        ReconnectDelays highest = new ReconnectDelays(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.999999);
        ReconnectDelays lowest = new ReconnectDelays(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.0);
        List<Long> high = new ArrayList<>();
        List<Long> low = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            high.add(highest.nextMillis());
            low.add(lowest.nextMillis());
        }
        assertThat(high).containsExactly(99L, 199L, 399L, 799L, 999L, 999L);
        assertThat(low).containsExactly(50L, 100L, 200L, 400L, 500L, 500L);
    }

    @Test
    void reset_startsTheNextOutageFromTheMinimum() {
        ReconnectDelays delays = new ReconnectDelays(Duration.ofMillis(100), Duration.ofSeconds(10), () -> 0.0);
        delays.nextMillis();
        delays.nextMillis();
        delays.nextMillis();
        delays.reset();
        assertThat(delays.nextMillis()).isEqualTo(50L);
    }

    @Test
    void manyFailures_neverOverflowPastTheCap() {
        ReconnectDelays delays = new ReconnectDelays(Duration.ofMillis(10), Duration.ofHours(1), () -> 0.5);
        long last = 0;
        for (int i = 0; i < 200; i++) {
            last = delays.nextMillis();
        }
        assertThat(last).isEqualTo(Duration.ofHours(1).toMillis() * 3 / 4);
    }

    @Test
    void invertedBounds_refused() {
        assertThatThrownBy(() -> new ReconnectDelays(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0))
                .hasMessageContaining("min <= max");
    }
}
