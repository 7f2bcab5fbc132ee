package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parse_everyUnit() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("007s")).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void parse_bareNumber_asksForAUnit() {
        assertThatThrownBy(() -> Durations.parse("500"))
                .hasMessage("'500' has no unit; write a unit: 500ms, 10s, 2m," + " 1h, 1d");
        assertThatThrownBy(() -> Durations.parse("1.5")).hasMessageContaining("has no unit");
    }

    @Test
    void parse_negative_isRefused() {
        assertThatThrownBy(() -> Durations.parse("-5s")).hasMessage("a duration cannot be negative: '-5s'");
    }

    @Test
    void parse_fraction_unknownUnit_spaceAndGarbage() {
        assertThatThrownBy(() -> Durations.parse("1.5s"))
                .hasMessage("'1.5s' is not a whole number of its unit; write e.g. 1500ms for 1.5s");
        assertThatThrownBy(() -> Durations.parse("5sec"))
                .hasMessage("'5sec' has an unknown unit; write a unit: 500ms," + " 10s, 2m, 1h, 1d");
        assertThatThrownBy(() -> Durations.parse("5S")).hasMessageContaining("unknown unit");
        assertThatThrownBy(() -> Durations.parse("5 s")).hasMessage("'5 s' has a space; write it without: 5s");
        assertThatThrownBy(() -> Durations.parse("soon"))
                .hasMessage("'soon' is not a duration; write a unit: 500ms," + " 10s, 2m, 1h, 1d");
        assertThatThrownBy(() -> Durations.parse("PT5S")).hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("a duration is needed");
    }

    @Test
    void parse_overflow_isRefusedNotWrapped() {
        assertThatThrownBy(() -> Durations.parse("99999999999999999999s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'99999999999999999999s' is too long a duration");
        assertThatThrownBy(() -> Durations.parse("9223372036854775807d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
        assertThat(Durations.parse("9223372036854775807ms")).isEqualTo(Duration.ofMillis(Long.MAX_VALUE));
    }

    @Test
    void format_usesTheLargestExactUnit() {
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofMinutes(60))).isEqualTo("1h");
        assertThat(Durations.format(Duration.ofHours(48))).isEqualTo("2d");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofSeconds(-30))).isEqualTo("-30s");
        assertThat(Durations.format(Duration.ofNanos(1500))).isEqualTo("PT0.0000015S");
    }

    @Test
    void format_thenParse_roundTrips() {
        for (String text : new String[] {"1ms", "999ms", "1s", "59s", "61s", "1m", "59m", "1h", "25h", "1d", "400d"}) {
            assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
        }
    }
}
