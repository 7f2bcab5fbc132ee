package io.headroom.agent.transport.modbus;

import io.headroom.config.ConfigValue;

/**
 * The four data tables of the Modbus data model, each read with its own function code. Coils and
 * holding registers can also be written.
 */
public enum ModbusTable {
    /** Read/write bits (FC 01, written with 05 and 15). */
    @ConfigValue("coil")
    COIL(0x01, true, ModbusPdu.MAX_READ_BITS),
    /** Read-only bits (FC 02). */
    @ConfigValue("discrete-input")
    DISCRETE_INPUT(0x02, true, ModbusPdu.MAX_READ_BITS),
    /** Read/write 16-bit registers (FC 03, written with 06 and 16). */
    @ConfigValue("holding")
    HOLDING(0x03, false, ModbusPdu.MAX_READ_REGISTERS),
    /** Read-only 16-bit registers (FC 04). */
    @ConfigValue("input")
    INPUT(0x04, false, ModbusPdu.MAX_READ_REGISTERS);

    private final int readFunction;
    private final boolean bits;
    private final int maxRead;

    ModbusTable(int readFunction, boolean bits, int maxRead) {
        this.readFunction = readFunction;
        this.bits = bits;
        this.maxRead = maxRead;
    }

    /** The function code that reads this table. */
    public int readFunction() {
        return readFunction;
    }

    /** True for the bit tables (coils, discrete inputs). */
    public boolean isBits() {
        return bits;
    }

    /** The most items one read may ask for: 2000 bits or 125 registers. */
    public int maxRead() {
        return maxRead;
    }

    /** True for the tables a master can write (coils, holding registers). */
    public boolean isWritable() {
        return this == COIL || this == HOLDING;
    }

    /** The spelling in profiles. */
    public String spelling() {
        return switch (this) {
            case COIL -> "coil";
            case DISCRETE_INPUT -> "discrete-input";
            case HOLDING -> "holding";
            case INPUT -> "input";
        };
    }
}
