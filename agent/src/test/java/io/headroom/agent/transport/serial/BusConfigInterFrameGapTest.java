package io.headroom.agent.transport.serial;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.config.BusConfig;
import io.headroom.agent.config.BusConfig.Parity;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Modbus RTU rule for the silence between frames, as {@link SerialBus} applies it. */
class BusConfigInterFrameGapTest {

    @Test
    void effectiveInterFrameGap_9600_8E1_isThreeAndAHalfElevenBitCharacters() {
        // 11 bits per character (start, 8 data, parity, stop): 3.5 × 11 / 9600 s = 4.0104… ms
        assertThat(bus(9600, Parity.EVEN, 1, Optional.empty()).effectiveInterFrameGap())
                .isEqualTo(Duration.ofNanos(4_010_417));
    }

    @Test
    void effectiveInterFrameGap_9600_8N2_alsoCountsElevenBits() {
        assertThat(bus(9600, Parity.NONE, 2, Optional.empty()).effectiveInterFrameGap())
                .isEqualTo(Duration.ofNanos(4_010_417));
    }

    @Test
    void effectiveInterFrameGap_9600_8N1_countsTenBits() {
        assertThat(bus(9600, Parity.NONE, 1, Optional.empty()).effectiveInterFrameGap())
                .isEqualTo(Duration.ofNanos(3_645_834));
    }

    @Test
    void effectiveInterFrameGap_19200_stillFollowsTheCharacterTime() {
        assertThat(bus(19_200, Parity.EVEN, 1, Optional.empty()).effectiveInterFrameGap())
                .isEqualTo(Duration.ofNanos(2_005_209));
    }

    @Test
    void effectiveInterFrameGap_above19200_isFixedAt1750Microseconds() {
        assertThat(bus(38_400, Parity.EVEN, 1, Optional.empty()).effectiveInterFrameGap())
                .isEqualTo(Duration.ofNanos(1_750_000));
        assertThat(bus(115_200, Parity.NONE, 2, Optional.empty()).effectiveInterFrameGap())
                .isEqualTo(Duration.ofNanos(1_750_000));
    }

    @Test
    void effectiveInterFrameGap_explicitValue_wins() {
        assertThat(bus(9600, Parity.EVEN, 1, Optional.of(Duration.ofMillis(20))).effectiveInterFrameGap())
                .isEqualTo(Duration.ofMillis(20));
        assertThat(bus(115_200, Parity.EVEN, 1, Optional.of(Duration.ZERO)).effectiveInterFrameGap())
                .isEqualTo(Duration.ZERO);
    }

    private static BusConfig bus(int baud, Parity parity, int stopBits, Optional<Duration> gap) {
        return new BusConfig("rs485-a", "/dev/ttyUSB0", baud, parity, 8, stopBits, gap);
    }
}
