package io.headroom.agent.driver.modbus;

import io.headroom.agent.transport.modbus.ModbusTable;
import java.util.Locale;

/**
 * A Modbus read as the raw last reply shows it: the request as unit, function code, table, first
 * address and count (0-based protocol addresses, as on the wire); the answer as one line per
 * register, {@code address: 0x1234 (4660)}, or per bit, {@code address: 1}.
 */
final class ModbusRawText {

    private ModbusRawText() {}

    /** {@code unit 1 FC 03 holding 100..109 (10)}. */
    static String request(int unit, ModbusTable table, int address, int count) {
        return String.format(
                Locale.ROOT,
                "unit %d FC %02d %s %d..%d (%d)",
                unit,
                table.readFunction(),
                table.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                address,
                address + count - 1,
                count);
    }

    static String registers(int address, int[] registers) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < registers.length; i++) {
            text.append(String.format(Locale.ROOT, "%d: 0x%04X (%d)\n", address + i, registers[i], registers[i]));
        }
        return text.toString();
    }

    static String bits(int address, boolean[] bits) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bits.length; i++) {
            text.append(address + i).append(": ").append(bits[i] ? 1 : 0).append('\n');
        }
        return text.toString();
    }
}
