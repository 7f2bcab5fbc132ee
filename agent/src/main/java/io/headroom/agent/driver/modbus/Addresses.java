package io.headroom.agent.driver.modbus;

import java.util.List;
import java.util.Locale;

/** Parsing of the numbers profiles write as text: register addresses and raw sentinel values, decimal or 0x hex. */
final class Addresses {

    private Addresses() {}

    /**
     * A wire (0-based PDU) address, written {@code 52} or {@code 0x0034}.
     *
     * @throws IllegalArgumentException starting with {@code key: }
     */
    static int parse(String written, String key) {
        long value = number(written, key);
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(key + ": " + written + " is not a register address (0 to 65535 on the"
                    + " wire; a 1-based or 3xxxx/4xxxx register number must be converted, see docs/drivers/modbus.md)");
        }
        return (int) value;
    }

    /** Raw sentinels, each masked to {@code type}'s width: {@code -1} and {@code 0xFFFF} are the same int16. */
    static List<Long> sentinels(List<String> written, ValueType type, String key) {
        return written.stream().map(s -> number(s, key) & type.mask()).toList();
    }

    static long number(String written, String key) {
        String text = written.trim().toLowerCase(Locale.ROOT).replace("_", "");
        try {
            if (text.startsWith("0x")) {
                return Long.parseUnsignedLong(text.substring(2), 16);
            }
            if (text.startsWith("-0x")) {
                return -Long.parseLong(text.substring(3), 16);
            }
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + written + "' is not a number (decimal or 0x hex)", e);
        }
    }
}
