package io.headroom.agent.driver.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.agent.transport.modbus.ModbusTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Word orders, value types, scales and sentinels: how registers become one number. */
class ModbusValuesTest {

    private static ModbusPoint point(ValueType type, WordOrder order, double scale, List<String> sentinels) {
        return new ModbusPoint(
                "power", "", ModbusTable.HOLDING, "0", Optional.of(type), order, scale, 0, sentinels, Map.of());
    }

    // 123.456f is 0x42F6E979: bytes A=42 B=F6 C=E9 D=79.
    @ParameterizedTest(name = "{0}")
    @CsvSource({"ABCD, 42f6, e979", "CDAB, e979, 42f6", "BADC, f642, 79e9", "DCBA, 79e9, f642"})
    void float32_inEveryOrder_readsTheSameValue(WordOrder order, String first, String second) {
        int[] registers = {Integer.parseInt(first, 16), Integer.parseInt(second, 16)};

        long raw = order.assemble(registers, 0, 2);

        assertThat(raw).isEqualTo(0x42F6E979L);
        assertThat(ValueType.FLOAT32.decode(raw)).isEqualTo((double) 123.456f);
        assertThat(order.split(raw, 2)).containsExactly(registers);
    }

    // 0x0102030405060708 as registers, in each order.
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ABCD, 0102, 0304, 0506, 0708",
        "CDAB, 0708, 0506, 0304, 0102",
        "BADC, 0201, 0403, 0605, 0807",
        "DCBA, 0807, 0605, 0403, 0201"
    })
    void sixtyFourBits_inEveryOrder_assembleBigEndian(WordOrder order, String a, String b, String c, String d) {
        int[] registers = {
            Integer.parseInt(a, 16), Integer.parseInt(b, 16), Integer.parseInt(c, 16), Integer.parseInt(d, 16)
        };

        assertThat(order.assemble(registers, 0, 4)).isEqualTo(0x0102030405060708L);
    }

    @Test
    void types_decodeSignednessAndWidth() {
        assertThat(ValueType.INT16.decode(0xFFC9)).isEqualTo(-55);
        assertThat(ValueType.UINT16.decode(0xFFC9)).isEqualTo(65481);
        assertThat(ValueType.INT32.decode(0xFFFFFFFEL)).isEqualTo(-2);
        assertThat(ValueType.UINT32.decode(0xFFFFFFFEL)).isEqualTo(4294967294.0);
        assertThat(ValueType.INT64.decode(-2L)).isEqualTo(-2);
        assertThat(ValueType.UINT64.decode(-2L)).isEqualTo(18446744073709551614.0);
        assertThat(ValueType.FLOAT64.decode(Double.doubleToLongBits(-1.5))).isEqualTo(-1.5);
        assertThat(WordOrder.BADC.assemble(new int[] {0xC9FF}, 0, 1)).isEqualTo(0xFFC9);
        assertThat(WordOrder.CDAB.assemble(new int[] {0xFFC9}, 0, 1)).isEqualTo(0xFFC9);
    }

    @Test
    void map_appliesScaleAndOffset() {
        ModbusPoint tenths = new ModbusPoint(
                "temperature.inlet",
                "",
                ModbusTable.INPUT,
                "0x10",
                Optional.of(ValueType.INT16),
                WordOrder.ABCD,
                0.1,
                -40,
                List.of(),
                Map.of());

        assertThat(tenths.map(0x0258).getAsDouble()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(tenths.wireAddress()).isEqualTo(16);
    }

    @Test
    void map_sentinelsAndNaN_areGaps_notZeros() {
        ModbusPoint int16 = point(ValueType.INT16, WordOrder.ABCD, 1, List.of("-1"));
        ModbusPoint hex = point(ValueType.UINT16, WordOrder.ABCD, 1, List.of("0xFFFF"));
        ModbusPoint signed32 = point(ValueType.INT32, WordOrder.ABCD, 0.01, List.of("0x7FFFFFFF"));
        ModbusPoint float32 = point(ValueType.FLOAT32, WordOrder.ABCD, 1, List.of());

        assertThat(int16.map(0xFFFF)).isEmpty();
        assertThat(hex.map(0xFFFF)).isEmpty();
        assertThat(hex.map(0xFFFE)).isEqualTo(OptionalDouble.of(65534));
        assertThat(signed32.map(0x7FFFFFFFL)).isEmpty();
        assertThat(float32.map(0x7FC00000L)).isEmpty();
        assertThat(float32.map(0x7F800000L)).isEmpty();
        assertThat(float32.map(0)).isEqualTo(OptionalDouble.of(0));
    }

    @Test
    void point_typeThatDoesNotFitItsTable_isRefusedNamingBoth() {
        assertThatThrownBy(() -> new ModbusPoint(
                        "power",
                        "",
                        ModbusTable.COIL,
                        "0",
                        Optional.of(ValueType.FLOAT32),
                        WordOrder.ABCD,
                        1,
                        0,
                        List.of(),
                        Map.of()))
                .hasMessageStartingWith("type: float32 does not fit table coil");
        assertThatThrownBy(() -> new ModbusPoint(
                        "power",
                        "",
                        ModbusTable.INPUT,
                        "70000",
                        Optional.empty(),
                        WordOrder.ABCD,
                        1,
                        0,
                        List.of(),
                        Map.of()))
                .hasMessageStartingWith("address: 70000 is not a register address");
        assertThatThrownBy(() -> new ModbusPoint(
                        "power",
                        "",
                        ModbusTable.INPUT,
                        "0x1G",
                        Optional.empty(),
                        WordOrder.ABCD,
                        1,
                        0,
                        List.of(),
                        Map.of()))
                .hasMessageStartingWith("address: '0x1G' is not a number");
    }
}
