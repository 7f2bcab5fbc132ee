package io.headroom.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrokerLinkKeepAliveTest {

    /** Paho needs two of its intervals to notice a silent connection: 2 × asked ≤ 1.5 × configured. */
    @ParameterizedTest(name = "keep-alive {0} s → {1} s in CONNECT")
    @CsvSource({"2, 1", "3, 2", "10, 6", "30, 20", "60, 40", "3600, 2400"})
    void asksForTwoThirds_soThatTwoIntervalsFitInOneAndAHalfKeepAlives(long configured, int asked) {
        assertThat(BrokerLink.pahoKeepAliveSeconds(Duration.ofSeconds(configured)))
                .isEqualTo(asked);
        assertThat(2.0 * asked).isLessThanOrEqualTo(1.5 * configured);
    }

    @ParameterizedTest(name = "keep-alive {0} ms → at least 1 s (0 would turn it off)")
    @CsvSource({"1000", "1400"})
    void neverZero(long millis) {
        assertThat(BrokerLink.pahoKeepAliveSeconds(Duration.ofMillis(millis))).isEqualTo(1);
    }
}
