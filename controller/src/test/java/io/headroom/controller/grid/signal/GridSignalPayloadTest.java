package io.headroom.controller.grid.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GridSignalPayloadTest {

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void documentedExample_parses() throws Exception {
        GridSignal signal = GridSignalPayload.parse(utf8(
                "{\"target_percent\": 60, \"timestamp\": \"2026-12-01T14:00:00Z\", \"id\": \"optional-signal-id\"}"));

        assertThat(signal)
                .isEqualTo(
                        new GridSignal(60, Instant.parse("2026-12-01T14:00:00Z"), Optional.of("optional-signal-id")));
    }

    @Test
    void fractionAndOffset_withoutId_parse_andTheBufferIsNotConsumed() throws Exception {
        ByteBuffer payload = utf8("{\"timestamp\":\"2026-12-01T15:00:00.250+01:00\",\"target_percent\":62.5}");

        GridSignal signal = GridSignalPayload.parse(payload);

        assertThat(signal).isEqualTo(new GridSignal(62.5, Instant.parse("2026-12-01T14:00:00.250Z"), Optional.empty()));
        assertThat(payload.position()).isZero();
    }

    @Test
    void exactlyMaxBytes_isAccepted_oneMore_isTooLarge() throws Exception {
        String head = "{\"target_percent\":0,\"timestamp\":\"2026-12-01T14:00:00Z\",\"id\":\"";
        String tail = "\"}";
        String fits = head + "x".repeat(GridSignalPayload.MAX_BYTES - head.length() - tail.length()) + tail;
        // The id limit is smaller than 1 KiB, so pad with whitespace, which JSON allows.
        String padded = head + "x" + tail + " ".repeat(GridSignalPayload.MAX_BYTES - head.length() - tail.length() - 1);
        assertThat(padded.length()).isEqualTo(GridSignalPayload.MAX_BYTES);
        assertThat(fits.length()).isEqualTo(GridSignalPayload.MAX_BYTES);

        assertThat(GridSignalPayload.parse(utf8(padded)).targetPercent()).isZero();
        assertThat(reasonOf(padded + " ")).isEqualTo(DropReason.TOO_LARGE);
    }

    static Stream<Arguments> invalid() {
        String ts = "\"timestamp\":\"2026-12-01T14:00:00Z\"";
        return Stream.of(
                Arguments.of("", DropReason.MALFORMED),
                Arguments.of("not json", DropReason.MALFORMED),
                Arguments.of("[60]", DropReason.MALFORMED),
                Arguments.of("60", DropReason.MALFORMED),
                Arguments.of("null", DropReason.MALFORMED),
                Arguments.of("{\"target_percent\":60," + ts + "} {}", DropReason.MALFORMED),
                Arguments.of("{\"target_percent\":60,\"target_percent\":10," + ts + "}", DropReason.MALFORMED),
                Arguments.of("{\"target_percent\":60," + ts + "", DropReason.MALFORMED),
                Arguments.of("{/* c */\"target_percent\":60," + ts + "}", DropReason.MALFORMED),
                Arguments.of("{" + ts + "}", DropReason.MISSING_KEY),
                Arguments.of("{\"target_percent\":60}", DropReason.MISSING_KEY),
                Arguments.of("{\"target_percent\":60," + ts + ",\"priority\":1}", DropReason.UNKNOWN_KEY),
                Arguments.of("{\"target_percent\":\"60\"," + ts + "}", DropReason.WRONG_TYPE),
                Arguments.of("{\"target_percent\":true," + ts + "}", DropReason.WRONG_TYPE),
                Arguments.of("{\"target_percent\":null," + ts + "}", DropReason.WRONG_TYPE),
                Arguments.of("{\"target_percent\":60,\"timestamp\":1764597600}", DropReason.WRONG_TYPE),
                Arguments.of("{\"target_percent\":60," + ts + ",\"id\":7}", DropReason.WRONG_TYPE),
                Arguments.of("{\"target_percent\":-0.1," + ts + "}", DropReason.OUT_OF_RANGE),
                Arguments.of("{\"target_percent\":100.01," + ts + "}", DropReason.OUT_OF_RANGE),
                Arguments.of("{\"target_percent\":1e400," + ts + "}", DropReason.OUT_OF_RANGE),
                Arguments.of("{\"target_percent\":60," + ts + ",\"id\":\"\"}", DropReason.OUT_OF_RANGE),
                Arguments.of("{\"target_percent\":60," + ts + ",\"id\":\"a\\u0000b\"}", DropReason.OUT_OF_RANGE),
                Arguments.of(
                        "{\"target_percent\":60," + ts + ",\"id\":\"" + "i".repeat(129) + "\"}",
                        DropReason.OUT_OF_RANGE),
                Arguments.of("{\"target_percent\":60,\"timestamp\":\"2026-12-01 14:00\"}", DropReason.BAD_TIMESTAMP),
                Arguments.of("{\"target_percent\":60,\"timestamp\":\"2026-12-01T14:00:00\"}", DropReason.BAD_TIMESTAMP),
                Arguments.of(
                        "{\"target_percent\":60,\"timestamp\":\"2026-13-01T14:00:00Z\"}", DropReason.BAD_TIMESTAMP));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidPayload_isRefusedWithItsReason(String payload, DropReason reason) {
        assertThat(reasonOf(payload)).isEqualTo(reason);
    }

    @Test
    void invalidUtf8_isMalformed_andTheDetailNeverCarriesControlCharacters() {
        byte[] bytes = {'{', (byte) 0xC3, (byte) 0x28, '}'};
        var e = catchThrowableOfType(
                GridSignalPayload.InvalidSignalException.class, () -> GridSignalPayload.parse(ByteBuffer.wrap(bytes)));
        assertThat(e.reason()).isEqualTo(DropReason.MALFORMED);

        var injected = catchThrowableOfType(
                GridSignalPayload.InvalidSignalException.class,
                () -> GridSignalPayload.parse(utf8("{\"evil\\nINFO forged line\":1}")));
        assertThat(injected.reason()).isEqualTo(DropReason.UNKNOWN_KEY);
        assertThat(injected.detail()).doesNotContain("\n").contains("evil?INFO forged line");
    }

    private static DropReason reasonOf(String payload) {
        var e = catchThrowableOfType(
                GridSignalPayload.InvalidSignalException.class, () -> GridSignalPayload.parse(utf8(payload)));
        assertThat(e).as("refused: %s", payload).isNotNull();
        return e.reason();
    }
}
