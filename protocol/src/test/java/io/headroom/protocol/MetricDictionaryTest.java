package io.headroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.protocol.wire.MetricType;
import org.junit.jupiter.api.Test;

class MetricDictionaryTest {

    @Test
    void dictionary_holdsTheCanonicalMetricsWithTheirUnits() {
        assertThat(MetricDictionary.require("power").unit()).isEqualTo("W");
        assertThat(MetricDictionary.require("energy").unit()).isEqualTo("kWh");
        assertThat(MetricDictionary.require("energy").type()).isEqualTo(MetricType.METRIC_TYPE_COUNTER);
        assertThat(MetricDictionary.require("hashrate").unit()).isEqualTo("TH/s");
        assertThat(MetricDictionary.require("temperature.chip").unit()).isEqualTo("°C");
        assertThat(MetricDictionary.require("temperature.board").unit()).isEqualTo("°C");
        assertThat(MetricDictionary.require("temperature.inlet").unit()).isEqualTo("°C");
        assertThat(MetricDictionary.require("temperature.outlet").unit()).isEqualTo("°C");
        assertThat(MetricDictionary.require("fan.speed").unit()).isEqualTo("rpm");
        assertThat(MetricDictionary.require("power.target").unit()).isEqualTo("W");
        assertThat(MetricDictionary.require("mode").type()).isEqualTo(MetricType.METRIC_TYPE_STATE);
        assertThat(MetricDictionary.require("status").type()).isEqualTo(MetricType.METRIC_TYPE_STATE);
    }

    @Test
    void require_unknownName_listsKnownNames() {
        assertThatThrownBy(() -> MetricDictionary.require("watts"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown metric 'watts'")
                .hasMessageContaining("power");
        assertThat(MetricDictionary.find("watts")).isNull();
    }

    @Test
    void isPlausible_rejectsNonFiniteAndOutOfRange() {
        MetricDescriptor chip = MetricDictionary.require("temperature.chip");
        assertThat(chip.isPlausible(68.5)).isTrue();
        assertThat(chip.isPlausible(Double.NaN)).isFalse();
        assertThat(chip.isPlausible(Double.POSITIVE_INFINITY)).isFalse();
        // A Fahrenheit reading or an uninitialised-sensor sentinel is not a chip temperature.
        assertThat(chip.isPlausible(255)).isFalse();
        assertThat(MetricDictionary.require("hashrate").isPlausible(110_566.89)).isFalse(); // GH/s, not TH/s
    }

    @Test
    void power_isPlausibleForAPduOrAFeedMeter_butNotForAMilliwattMixUp() {
        MetricDescriptor power = MetricDictionary.require("power");
        assertThat(power.isPlausible(3_250)).as("a miner").isTrue();
        assertThat(power.isPlausible(66_000)).as("a rack PDU").isTrue();
        assertThat(power.isPlausible(800_000)).as("a feed meter").isTrue();
        assertThat(power.isPlausible(3_250_000_000.0))
                .as("a miner's draw in mW")
                .isFalse();
        assertThat(power.isPlausible(-5)).isFalse();
    }

    @Test
    void frequency_isMainsHertz() {
        MetricDescriptor frequency = MetricDictionary.require("frequency");
        assertThat(frequency.unit()).isEqualTo("Hz");
        assertThat(frequency.isPlausible(50.02)).isTrue();
        assertThat(frequency.isPlausible(60)).isTrue();
        assertThat(frequency.isPlausible(0)).as("a zeroed register").isFalse();
        assertThat(frequency.isPlausible(5002)).as("centihertz read as Hz").isFalse();
    }

    @Test
    void displayKey_appendsInstanceInBrackets() {
        assertThat(MetricDictionary.displayKey("power", "")).isEqualTo("power");
        assertThat(MetricDictionary.displayKey("temperature.chip", "board1")).isEqualTo("temperature.chip[board1]");
    }

    @Test
    void isValidInstance_acceptsLowercaseTokensOnly() {
        assertThat(MetricDictionary.isValidInstance("")).isTrue();
        assertThat(MetricDictionary.isValidInstance("fan2")).isTrue();
        assertThat(MetricDictionary.isValidInstance("Fan2")).isFalse();
        assertThat(MetricDictionary.isValidInstance("board 1")).isFalse();
        assertThat(MetricDictionary.isValidInstance("x".repeat(33))).isFalse();
    }

    @Test
    void modeCodes_areStableAndDistinct() {
        assertThat(Mode.SLEEP.code()).isZero();
        assertThat(Mode.NORMAL.code()).isEqualTo(1);
        assertThat(Mode.fromCode(2)).isEqualTo(Mode.LOW_POWER);
        assertThat(Mode.fromCode(9)).isNull();
    }
}
