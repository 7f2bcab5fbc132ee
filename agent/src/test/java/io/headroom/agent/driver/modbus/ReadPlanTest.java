package io.headroom.agent.driver.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.transport.modbus.ModbusTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a poll's points are merged into requests. */
class ReadPlanTest {

    private static ModbusPoint at(ModbusTable table, int address, ValueType type, String instance) {
        return new ModbusPoint(
                table.isBits() ? "outlet.state" : "power",
                instance,
                table,
                Integer.toString(address),
                Optional.of(type),
                WordOrder.ABCD,
                1,
                0,
                List.of(),
                table.isBits() ? Map.of("0", "off", "1", "on") : Map.of());
    }

    private static List<String> blocks(int maxGap, int maxRegisters, int maxBits, List<ModbusPoint> points) {
        ReadPlan plan = ReadPlan.of(new ModbusPoints(maxGap, maxRegisters, maxBits, points, Map.of()));
        return plan.blocks().stream()
                .map(b -> b.table().spelling() + " " + b.address() + "+" + b.count() + "/"
                        + b.points().size())
                .toList();
    }

    @Test
    void adjacentPoints_inAnyOrder_areOneRequest() {
        List<ModbusPoint> points = List.of(
                at(ModbusTable.INPUT, 4, ValueType.FLOAT32, "c"),
                at(ModbusTable.INPUT, 0, ValueType.FLOAT32, "a"),
                at(ModbusTable.INPUT, 2, ValueType.FLOAT32, "b"));

        assertThat(blocks(0, 125, 2000, points)).containsExactly("input 0+6/3");
    }

    @Test
    void gaps_upToMaxGap_areReadThrough_widerOnesSplit() {
        List<ModbusPoint> points = List.of(
                at(ModbusTable.HOLDING, 0, ValueType.UINT16, "a"),
                at(ModbusTable.HOLDING, 4, ValueType.UINT16, "b"),
                at(ModbusTable.HOLDING, 20, ValueType.UINT16, "c"));

        assertThat(blocks(3, 125, 2000, points)).containsExactly("holding 0+5/2", "holding 20+1/1");
        assertThat(blocks(2, 125, 2000, points)).containsExactly("holding 0+1/1", "holding 4+1/1", "holding 20+1/1");
        assertThat(blocks(15, 125, 2000, points)).containsExactly("holding 0+21/3");
    }

    @Test
    void aRunPast125Registers_isSplitAtTheLimit_neverInsideAValue() {
        List<ModbusPoint> points = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            points.add(at(ModbusTable.HOLDING, 2 * i, ValueType.FLOAT32, "p" + i));
        }

        // 62 floats are 124 registers; a 63rd would need 126.
        assertThat(blocks(0, 125, 2000, points)).containsExactly("holding 0+124/62", "holding 124+16/8");
        assertThat(blocks(0, 10, 2000, points)).hasSize(14).first().isEqualTo("holding 0+10/5");
    }

    @Test
    void tablesAreNeverMixed_andBitsMergeUpTo2000() {
        List<ModbusPoint> points = new ArrayList<>();
        points.add(at(ModbusTable.HOLDING, 0, ValueType.UINT16, "h"));
        points.add(at(ModbusTable.INPUT, 1, ValueType.UINT16, "i"));
        for (int i = 0; i < 2001; i++) {
            points.add(at(ModbusTable.COIL, i, ValueType.BOOL, "c" + i));
        }

        assertThat(blocks(0, 125, 2000, points))
                .containsExactly("coil 0+2000/2000", "coil 2000+1/1", "holding 0+1/1", "input 1+1/1");
    }
}
