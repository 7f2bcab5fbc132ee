package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DataSizeTest {

    @Test
    void parse_binaryAndDecimalUnits() {
        assertThat(DataSize.parse("512B").bytes()).isEqualTo(512);
        assertThat(DataSize.parse("64KiB").bytes()).isEqualTo(64 * 1024);
        assertThat(DataSize.parse("16MiB").bytes()).isEqualTo(16L << 20);
        assertThat(DataSize.parse("2GiB").bytes()).isEqualTo(2L << 30);
        assertThat(DataSize.parse("3TiB").bytes()).isEqualTo(3L << 40);
        assertThat(DataSize.parse("10kB").bytes()).isEqualTo(10_000);
        assertThat(DataSize.parse("10MB").bytes()).isEqualTo(10_000_000);
        assertThat(DataSize.parse("1GB").bytes()).isEqualTo(1_000_000_000);
        assertThat(DataSize.parse("2TB").bytes()).isEqualTo(2_000_000_000_000L);
        assertThat(DataSize.parse("0B").bytes()).isZero();
    }

    @Test
    void parse_bareNumber_asksForAUnit() {
        assertThatThrownBy(() -> DataSize.parse("64"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'64' has no unit; write a unit: B, KiB, MiB, GiB, TiB (powers of 1024) or kB, MB, GB, TB"
                        + " (powers of 1000)");
    }

    @Test
    void parse_unitsAreCaseSensitive() {
        assertThatThrownBy(() -> DataSize.parse("16KB"))
                .hasMessage("'16KB' has an unknown unit 'KB'; use B, KiB, MiB,"
                        + " GiB, TiB (powers of 1024) or kB, MB, GB, TB (powers of 1000)");
        assertThatThrownBy(() -> DataSize.parse("16mib")).hasMessageContaining("unknown unit 'mib'");
    }

    @Test
    void parse_negativeFractionSpaceAndGarbage() {
        assertThatThrownBy(() -> DataSize.parse("-1MiB")).hasMessage("a size cannot be negative: '-1MiB'");
        assertThatThrownBy(() -> DataSize.parse("1.5GiB")).hasMessageContaining("is not a size; write a whole number");
        assertThatThrownBy(() -> DataSize.parse("16 MiB")).hasMessage("'16 MiB' has a space; write it without: 16MiB");
        assertThatThrownBy(() -> DataSize.parse("lots")).hasMessageContaining("'lots' is not a size");
        assertThatThrownBy(() -> DataSize.parse("")).hasMessageContaining("a size is needed");
    }

    @Test
    void parse_overflow_isRefused() {
        assertThatThrownBy(() -> DataSize.parse("8388608TiB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'8388608TiB' is too large; a size is at most 9223372036854775807 bytes");
        assertThatThrownBy(() -> DataSize.parse("99999999999999999999B")).hasMessageContaining("too large");
        assertThat(DataSize.parse("8388607TiB").bytes()).isEqualTo(8_388_607L << 40);
        assertThat(DataSize.parse("9223372036854775807B").bytes()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void constructor_refusesNegativeBytes() {
        assertThatThrownBy(() -> DataSize.ofBytes(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void format_largestExactUnitBinaryFirst() {
        assertThat(DataSize.format(0)).isEqualTo("0B");
        assertThat(DataSize.format(1023)).isEqualTo("1023B");
        assertThat(DataSize.format(1024)).isEqualTo("1KiB");
        assertThat(DataSize.format(1536)).isEqualTo("1536B");
        assertThat(DataSize.format(16L << 20)).isEqualTo("16MiB");
        assertThat(DataSize.format(10_000_000)).isEqualTo("10MB");
        assertThat(DataSize.format(2000)).isEqualTo("2kB");
    }

    @Test
    void compareTo_ordersByBytes() {
        assertThat(DataSize.parse("1KiB")).isGreaterThan(DataSize.parse("1kB"));
    }
}
