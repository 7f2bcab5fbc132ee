package io.headroom.controller.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The MQTT price payload: what is a price, and what each kind of garbage is called. */
class MqttPricePayloadTest {
    private static final String UNIT = "USD/MWh";

    private static PricePoint parse(String json) throws MqttPricePayload.InvalidPriceException {
        return MqttPricePayload.parse(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), 1024, UNIT);
    }

    @Test
    void isoOrEpochTime_valueInTheInputsUnit_andTheUnitIfSaid() throws Exception {
        assertThat(parse("{\"time\": \"2026-12-01T10:00:00Z\", \"value\": 42.5}"))
                .isEqualTo(new PricePoint(Instant.parse("2026-12-01T10:00:00Z"), 42.5));
        assertThat(parse("{\"time\": 1796119200, \"value\": -12, \"unit\": \"USD/MWh\"}"))
                .isEqualTo(new PricePoint(Instant.ofEpochSecond(1_796_119_200L), -12));
        assertThat(parse("{\"value\": 1.5, \"time\": \"2026-12-01T11:00:00+01:00\"}")
                        .at())
                .isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json|MALFORMED",
                "[1, 2]|MALFORMED",
                "42|MALFORMED",
                "''|MALFORMED",
                "{\"time\": \"2026-12-01T10:00:00Z\", \"value\": 1} {}|MALFORMED",
                "{\"time\": \"2026-12-01T10:00:00Z\", \"value\": 1, \"value\": 2}|MALFORMED",
                "{\"time\": \"2026-12-01T10:00:00Z\"}|MISSING_KEY",
                "{\"value\": 1}|MISSING_KEY",
                "{\"time\": \"2026-12-01T10:00:00Z\", \"value\": 1, \"price\": 2}|UNKNOWN_KEY",
                "{\"time\": \"2026-12-01T10:00:00Z\", \"value\": \"42\"}|WRONG_TYPE",
                "{\"time\": true, \"value\": 1}|WRONG_TYPE",
                "{\"time\": \"2026-12-01T10:00:00Z\", \"value\": 1, \"unit\": 7}|WRONG_TYPE",
                "{\"time\": \"yesterday\", \"value\": 1}|BAD_TIME",
                "{\"time\": \"2026-12-01T10:00:00\", \"value\": 1}|BAD_TIME",
                "{\"time\": 1796119200000, \"value\": 1}|BAD_TIME",
                "{\"time\": -5, \"value\": 1}|BAD_TIME",
                "{\"time\": 1e400, \"value\": 1}|BAD_TIME",
                "{\"time\": \"2026-12-01T10:00:00Z\", \"value\": 1e400}|OUT_OF_RANGE",
                "{\"time\": \"2026-12-01T10:00:00Z\", \"value\": 1, \"unit\": \"USD/kWh\"}|WRONG_UNIT",
            })
    void garbage_isRefusedWithItsReason(String json, PriceDropReason reason) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOfSatisfying(
                        MqttPricePayload.InvalidPriceException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageNotContaining("\n");
    }

    @Test
    void notUtf8_andOversize_areRefusedUnparsed() {
        byte[] latin1 = "{\"time\": \"2026-12-01T10:00:00Z\", \"value\": 1, \"unit\": \"\u00e9\"}"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> MqttPricePayload.parse(ByteBuffer.wrap(latin1), 1024, UNIT))
                .hasMessage("not UTF-8");
        byte[] big = ("{\"time\": \"2026-12-01T10:00:00Z\", \"value\": 1" + " ".repeat(2000) + "}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MqttPricePayload.parse(ByteBuffer.wrap(big), 1024, UNIT))
                .isInstanceOfSatisfying(
                        MqttPricePayload.InvalidPriceException.class,
                        e -> assertThat(e.reason()).isEqualTo(PriceDropReason.TOO_LARGE))
                .hasMessageContaining("1024");
    }

    @Test
    void aControlCharacterInAKey_isNotEchoedIntoTheLog() {
        assertThatThrownBy(() -> parse("{\"time\": 1, \"value\": 1, \"a\\u001b[31mred\": 1}"))
                .hasMessageContaining("a?[31mred")
                .hasMessageNotContaining("\u001b");
    }

    @Test
    void theBufferIsNotConsumed() throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap("{\"time\": 1796119200, \"value\": 3}".getBytes(StandardCharsets.UTF_8));
        MqttPricePayload.parse(buffer, 1024, UNIT);
        assertThat(buffer.position()).isZero();
    }
}
