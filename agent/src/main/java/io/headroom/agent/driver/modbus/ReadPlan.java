package io.headroom.agent.driver.modbus;

import io.headroom.agent.transport.modbus.ModbusTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The requests one poll sends: the points of each table sorted by address and merged into as few reads
 * as the limits allow. A read grows while the next point starts no more than {@code max-gap} items after
 * the read's end and the read stays within {@code max-registers} (or {@code max-bits}). Computed once
 * per profile.
 *
 * @param blocks the reads, in table then address order
 */
public record ReadPlan(List<Block> blocks) {

    /**
     * One read request and the points it serves.
     *
     * @param table the table read
     * @param address first item
     * @param count items read
     * @param points the points inside it
     */
    public record Block(ModbusTable table, int address, int count, List<ModbusPoint> points) {
        public Block {
            Objects.requireNonNull(table, "table");
            points = List.copyOf(points);
        }
    }

    public ReadPlan {
        blocks = List.copyOf(blocks);
    }

    /** The plan of {@code points}. */
    public static ReadPlan of(ModbusPoints points) {
        List<Block> blocks = new ArrayList<>();
        for (ModbusTable table : ModbusTable.values()) {
            List<ModbusPoint> ofTable = points.reads().stream()
                    .filter(p -> p.table() == table)
                    .sorted(Comparator.comparingInt(ModbusPoint::wireAddress))
                    .toList();
            int limit = table.isBits() ? points.maxBits() : points.maxRegisters();
            int start = -1;
            int end = -1;
            List<ModbusPoint> current = new ArrayList<>();
            for (ModbusPoint point : ofTable) {
                int from = point.wireAddress();
                int to = from + point.span();
                boolean fits = start >= 0 && from - end <= points.maxGap() && Math.max(end, to) - start <= limit;
                if (!fits && start >= 0) {
                    blocks.add(new Block(table, start, end - start, current));
                    current = new ArrayList<>();
                    start = -1;
                }
                if (start < 0) {
                    start = from;
                    end = to;
                } else {
                    end = Math.max(end, to);
                }
                current.add(point);
            }
            if (start >= 0) {
                blocks.add(new Block(table, start, end - start, current));
            }
        }
        return new ReadPlan(blocks);
    }
}
