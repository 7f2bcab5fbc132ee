package io.headroom.agent.driver.modbus;

import io.headroom.agent.transport.modbus.ModbusTable;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code match:} rule of a modbus profile: a probe read. Modbus has no standard identity, so a
 * family is recognised the way mbmd probes meters: one register the family has, read without an
 * exception, holds a value in {@code min..max} (a phase voltage of 100–300 V, say). A device that
 * refuses the address (exception 02) or holds an implausible value is not this family.
 *
 * @param table the table read
 * @param address wire address, decimal or {@code 0x} hex
 * @param type how the registers hold the value
 * @param order byte and word order
 * @param min lowest value (raw, before any scale) of the family
 * @param max highest
 */
public record ModbusMatch(
        @Doc("coil, discrete-input, holding or input.") ModbusTable table,
        @Doc("Wire (0-based) address, decimal or 0x hex.") String address,
        @Doc("How the registers hold the value.") Optional<ValueType> type,
        @Doc("Byte and word order.") @Default("abcd") WordOrder order,
        @Doc("Lowest raw value the family holds there.") double min,
        @Doc("Highest raw value the family holds there.") double max) {

    public ModbusMatch {
        Objects.requireNonNull(table, "table");
        Addresses.parse(address, "address");
        ValueType resolved = type.orElse(table.isBits() ? ValueType.BOOL : ValueType.UINT16);
        if (table.isBits() != (resolved == ValueType.BOOL)) {
            throw new IllegalArgumentException(
                    "type: " + resolved.spelling() + " does not fit table " + table.spelling());
        }
        type = Optional.of(resolved);
        if (!(min <= max)) {
            throw new IllegalArgumentException("min: " + min + " is above max " + max);
        }
    }

    public ValueType valueType() {
        return type.orElseThrow();
    }

    public int wireAddress() {
        return Addresses.parse(address, "address");
    }

    /** Whether the raw bits read at the probe address are this family's. */
    public boolean matches(long raw) {
        double value = valueType().decode(raw);
        return Double.isFinite(value) && value >= min && value <= max;
    }
}
