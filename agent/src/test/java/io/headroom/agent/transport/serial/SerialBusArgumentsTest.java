package io.headroom.agent.transport.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.agent.config.BusConfig;
import io.headroom.agent.config.BusConfig.Parity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a caller may pass to a {@link SerialBus}: wrong arguments fail before the port is touched. */
class SerialBusArgumentsTest {

    private final SerialBus bus = SerialBus.open(
            new BusConfig("rs485-a", "/dev/ttyUSB0", 9600, Parity.EVEN, 8, 1, Optional.empty()),
            new SimpleMeterRegistry(),
            System::nanoTime);

    @Test
    void transact_emptyRequest_isRefused() {
        assertThatThrownBy(() -> bus.transact(new byte[0], 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("request: must not be empty");
    }

    @Test
    void transact_nonPositiveTimeout_isRefused() {
        assertThatThrownBy(() -> bus.transact(new byte[] {1}, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout: must be positive, got PT0S");
    }

    @Test
    void length_outOfRange_isRefused() {
        assertThatThrownBy(() -> FrameCompletion.length(0)).hasMessage("length: must be between 1 and 65536, got 0");
        assertThatThrownBy(() -> bus.transact(new byte[] {1}, SerialBus.MAX_REPLY_BYTES + 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void frameCompletions_sayWhenTheyAreComplete() {
        byte[] received = new byte[8];
        assertThat(FrameCompletion.length(3).isComplete(received, 2)).isFalse();
        assertThat(FrameCompletion.length(3).isComplete(received, 3)).isTrue();
        assertThat(FrameCompletion.length(3).endsOnSilence()).isFalse();
        assertThat(FrameCompletion.lengthOrSilence(3).endsOnSilence()).isTrue();
        assertThat(FrameCompletion.lengthOrSilence(3).isComplete(received, 3)).isTrue();
        assertThat(FrameCompletion.silence().isComplete(received, 8)).isFalse();
        assertThat(FrameCompletion.silence().endsOnSilence()).isTrue();
    }

    @Test
    void settings_reopenMaxBelowMin_isRefused() {
        assertThatThrownBy(() ->
                        new SerialBusSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("reopenMax: must not be less than reopenMin (PT2S), got PT1S");
        assertThatThrownBy(() -> new SerialBusSettings(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("lockWait: must be positive, got PT0S");
    }
}
