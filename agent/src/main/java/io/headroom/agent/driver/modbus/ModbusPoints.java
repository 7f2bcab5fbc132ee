package io.headroom.agent.driver.modbus;

import io.headroom.agent.transport.modbus.ModbusPdu;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.protocol.MetricDictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code points:} section of a modbus profile: what one poll reads and what {@code write-point}
 * writes. Reads of one table that lie close together are merged into one request ({@link ReadPlan}).
 *
 * @param maxGap unused registers (or bits) a merged request may read between two points; 0 merges only
 *     adjacent points. Some devices refuse a read that touches an address they do not map (exception
 *     02): set 0 for them.
 * @param maxRegisters registers in one request, at most the protocol's 125
 * @param maxBits coils or discrete inputs in one request, at most the protocol's 2000
 * @param reads the metrics read each poll
 * @param writes instance of {@code write-point} → the coil or register it writes
 */
public record ModbusPoints(
        @Doc("Unused registers a merged request may span between two points.")
        @Default("8")
        @Range(min = "0", max = "124")
        int maxGap,

        @Doc("Registers in one request (at most 125).") @Default("125") @Range(min = "1", max = "125")
        int maxRegisters,

        @Doc("Coils or discrete inputs in one request (at most 2000).") @Default("2000") @Range(min = "1", max = "2000")
        int maxBits,

        @Doc("Metrics read each poll.") List<ModbusPoint> reads,

        @Doc("write-point instance → the coil or register it writes.")
        Map<String, ModbusWrite> writes) {

    public ModbusPoints {
        if (maxGap < 0 || maxGap > ModbusPdu.MAX_READ_REGISTERS - 1) {
            throw new IllegalArgumentException("max-gap: " + maxGap + " must be 0 to 124");
        }
        if (maxRegisters < 1 || maxRegisters > ModbusPdu.MAX_READ_REGISTERS) {
            throw new IllegalArgumentException("max-registers: " + maxRegisters + " must be 1 to 125");
        }
        if (maxBits < 1 || maxBits > ModbusPdu.MAX_READ_BITS) {
            throw new IllegalArgumentException("max-bits: " + maxBits + " must be 1 to 2000");
        }
        reads = List.copyOf(reads);
        writes = Map.copyOf(writes);
        if (reads.isEmpty()) {
            throw new IllegalArgumentException("reads: a profile must read something");
        }
        Set<String> keys = new HashSet<>();
        for (ModbusPoint point : reads) {
            String key = MetricDictionary.displayKey(point.metric(), point.instance());
            if (!keys.add(key)) {
                throw new IllegalArgumentException("reads: " + key + " is read twice");
            }
            if (point.span() > maxRegisters && !point.table().isBits()) {
                throw new IllegalArgumentException("max-registers: " + maxRegisters + " is less than the "
                        + point.span() + " registers of " + key);
            }
        }
    }
}
