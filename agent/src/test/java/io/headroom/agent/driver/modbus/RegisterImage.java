package io.headroom.agent.driver.modbus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.agent.transport.modbus.ModbusTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A slave's memory as a golden case's {@code registers.json} describes it, answering request PDUs as
 * a device would: reads and writes of mapped addresses, exception 02 for any address outside them,
 * exception 01 for a function it does not know. Test code: the minimal slave of the golden cases and of
 * the scripted serial slave. Thread-safe.
 */
class RegisterImage {

    private final Map<ModbusTable, TreeMap<Integer, Integer>> tables = new EnumMap<>(ModbusTable.class);
    private final int unit;

    RegisterImage(int unit) {
        this.unit = unit;
        for (ModbusTable table : ModbusTable.values()) {
            tables.put(table, new TreeMap<>());
        }
    }

    static RegisterImage read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        RegisterImage image = new RegisterImage(root.path("unit").asInt(1));
        for (ModbusTable table : ModbusTable.values()) {
            JsonNode runs = root.get(table.spelling());
            if (runs == null) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = runs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> run = it.next();
                int address = Integer.decode(run.getKey());
                String text = run.getValue().asText().trim();
                if (table.isBits()) {
                    for (int i = 0; i < text.length(); i++) {
                        image.put(table, address + i, text.charAt(i) == '1' ? 1 : 0);
                    }
                } else {
                    String[] words = text.split("\\s+");
                    for (int i = 0; i < words.length; i++) {
                        image.put(table, address + i, Integer.parseInt(words[i], 16));
                    }
                }
            }
        }
        return image;
    }

    int unit() {
        return unit;
    }

    synchronized RegisterImage put(ModbusTable table, int address, int value) {
        tables.get(table).put(address, value);
        return this;
    }

    synchronized RegisterImage putWords(ModbusTable table, int address, int... words) {
        for (int i = 0; i < words.length; i++) {
            put(table, address + i, words[i]);
        }
        return this;
    }

    synchronized int get(ModbusTable table, int address) {
        return tables.get(table).getOrDefault(address, -1);
    }

    /** The response PDU to a request PDU. */
    synchronized byte[] answer(byte[] request) {
        int function = request[0] & 0xFF;
        ModbusTable table = switch (function) {
            case 0x01, 0x05, 0x0F -> ModbusTable.COIL;
            case 0x02 -> ModbusTable.DISCRETE_INPUT;
            case 0x03, 0x06, 0x10 -> ModbusTable.HOLDING;
            case 0x04 -> ModbusTable.INPUT;
            default -> null;
        };
        if (table == null || request.length < 5) {
            return new byte[] {(byte) (function | 0x80), 0x01};
        }
        int address = word(request, 1);
        TreeMap<Integer, Integer> cells = tables.get(table);
        switch (function) {
            case 0x01, 0x02, 0x03, 0x04 -> {
                int count = word(request, 3);
                if (!mapped(cells, address, count)) {
                    return new byte[] {(byte) (function | 0x80), 0x02};
                }
                if (table.isBits()) {
                    byte[] out = new byte[2 + (count + 7) / 8];
                    out[0] = (byte) function;
                    out[1] = (byte) ((count + 7) / 8);
                    for (int i = 0; i < count; i++) {
                        if (cells.get(address + i) != 0) {
                            out[2 + i / 8] |= (byte) (1 << (i % 8));
                        }
                    }
                    return out;
                }
                byte[] out = new byte[2 + 2 * count];
                out[0] = (byte) function;
                out[1] = (byte) (2 * count);
                for (int i = 0; i < count; i++) {
                    int value = cells.get(address + i);
                    out[2 + 2 * i] = (byte) (value >>> 8);
                    out[3 + 2 * i] = (byte) value;
                }
                return out;
            }
            case 0x05, 0x06 -> {
                if (!mapped(cells, address, 1)) {
                    return new byte[] {(byte) (function | 0x80), 0x02};
                }
                int value = word(request, 3);
                if (function == 0x05 && value != 0xFF00 && value != 0) {
                    return new byte[] {(byte) (function | 0x80), 0x03};
                }
                cells.put(address, function == 0x05 ? (value == 0xFF00 ? 1 : 0) : value);
                return java.util.Arrays.copyOf(request, 5);
            }
            default -> {
                int count = word(request, 3);
                if (!mapped(cells, address, count)) {
                    return new byte[] {(byte) (function | 0x80), 0x02};
                }
                for (int i = 0; i < count; i++) {
                    cells.put(
                            address + i,
                            table.isBits() ? (request[6 + i / 8] >> (i % 8)) & 1 : word(request, 6 + 2 * i));
                }
                return java.util.Arrays.copyOf(request, 5);
            }
        }
    }

    private static boolean mapped(TreeMap<Integer, Integer> cells, int address, int count) {
        for (int i = 0; i < count; i++) {
            if (!cells.containsKey(address + i)) {
                return false;
            }
        }
        return count > 0;
    }

    private static int word(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }
}
