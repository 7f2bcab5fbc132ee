package io.headroom.simulator.meter;

/**
 * The Eastron SDM630 input-register map (function code 04), as reference/TELEMETRY.md §3.5 gives it
 * after volkszaehler/mbmd {@code sdm.go}: every value is an IEEE-754 float32 in two registers, big-endian
 * (ABCD, high word first). Addresses are 0-based protocol addresses.
 */
public final class Sdm630Registers {
    public static final int VOLTS_L1 = 0x0000;
    public static final int AMPS_L1 = 0x0006;
    public static final int WATTS_L1 = 0x000C;
    public static final int TOTAL_WATTS = 0x0034;
    public static final int TOTAL_VA = 0x0038;
    public static final int TOTAL_VAR = 0x003C;
    public static final int TOTAL_POWER_FACTOR = 0x003E;
    public static final int FREQUENCY = 0x0046;
    public static final int IMPORT_KWH = 0x0048;
    public static final int EXPORT_KWH = 0x004A;
    public static final int TOTAL_KWH = 0x0156;
    public static final int IMPORT_KWH_L1 = 0x015A;

    /** Registers served: 0x0000 up to and including the per-phase import energies (L3 at 0x015E). */
    public static final int SIZE = 0x0160;

    /** Most registers one read may ask for (Modbus application protocol, FC 04). */
    public static final int MAX_QUANTITY = 125;

    private Sdm630Registers() {}

    /** The register image of a reading: {@link #SIZE} registers, unused ones zero. */
    public static short[] image(MeterReading reading) {
        short[] registers = new short[SIZE];
        double[] volts = reading.volts();
        double[] amps = reading.amps();
        double[] watts = reading.watts();
        for (int phase = 0; phase < 3; phase++) {
            put(registers, VOLTS_L1 + 2 * phase, volts[phase]);
            put(registers, AMPS_L1 + 2 * phase, amps[phase]);
            put(registers, WATTS_L1 + 2 * phase, watts[phase]);
            put(registers, IMPORT_KWH_L1 + 2 * phase, reading.importKwh() / 3);
        }
        put(registers, TOTAL_WATTS, reading.totalWatts());
        put(registers, TOTAL_VA, reading.totalVa());
        put(registers, TOTAL_VAR, reading.totalVar());
        put(registers, TOTAL_POWER_FACTOR, reading.powerFactor());
        put(registers, FREQUENCY, reading.frequencyHz());
        put(registers, IMPORT_KWH, reading.importKwh());
        put(registers, EXPORT_KWH, 0);
        put(registers, TOTAL_KWH, reading.importKwh());
        return registers;
    }

    /** A float32 from two registers, high word first. */
    public static float floatAt(short high, short low) {
        return Float.intBitsToFloat(((high & 0xFFFF) << 16) | (low & 0xFFFF));
    }

    private static void put(short[] registers, int address, double value) {
        int bits = Float.floatToIntBits((float) value);
        registers[address] = (short) (bits >>> 16);
        registers[address + 1] = (short) bits;
    }
}
