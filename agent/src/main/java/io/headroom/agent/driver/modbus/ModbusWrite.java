package io.headroom.agent.driver.modbus;

import io.headroom.agent.transport.modbus.ModbusTable;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code write-point} writes for one instance ({@code points.writes.<instance>} of a modbus
 * profile): one coil (FC 05) or one holding register (FC 06), the register holding
 * {@code value / scale}. The driver reads the same coil or register back at once to confirm it.
 *
 * @param table coil or holding
 * @param address wire (0-based) address, decimal or {@code 0x} hex
 * @param type bool for a coil; int16 or uint16 for a register
 * @param scale the point's value is the register times this
 */
public record ModbusWrite(
        @Doc("coil or holding.") ModbusTable table,
        @Doc("Wire (0-based) address, decimal or 0x hex.") String address,
        @Doc("bool (coil), int16 or uint16 (holding).") Optional<ValueType> type,

        @Doc("The point's value is the register times this.") @Default("1")
        double scale) {

    public ModbusWrite {
        Objects.requireNonNull(table, "table");
        if (!table.isWritable()) {
            throw new IllegalArgumentException("table: " + table.spelling() + " is read-only; write coil or holding");
        }
        Addresses.parse(address, "address");
        ValueType resolved = type.orElse(table.isBits() ? ValueType.BOOL : ValueType.UINT16);
        boolean fits = table.isBits()
                ? resolved == ValueType.BOOL
                : resolved == ValueType.UINT16 || resolved == ValueType.INT16;
        if (!fits) {
            throw new IllegalArgumentException("type: " + resolved.spelling() + " cannot be written to a "
                    + table.spelling() + (table.isBits() ? " (bool)" : " (one register: int16 or uint16)"));
        }
        type = Optional.of(resolved);
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("scale: must be a non-zero number");
        }
    }

    public ValueType valueType() {
        return type.orElseThrow();
    }

    public int wireAddress() {
        return Addresses.parse(address, "address");
    }

    /**
     * The raw value for a point value.
     *
     * @throws IllegalArgumentException when the value is not a whole multiple of the scale or does not fit
     */
    public long raw(double value) {
        double scaled = value / scale;
        long rounded = Math.round(scaled);
        if (Math.abs(scaled - rounded) > 1e-9 * Math.max(1, Math.abs(scaled))) {
            throw new IllegalArgumentException(value + " is not a whole multiple of the point's scale " + scale);
        }
        return valueType().encode(rounded);
    }

    /** The point value a raw value read back stands for. */
    public double value(long raw) {
        return valueType().decode(raw) * scale;
    }
}
