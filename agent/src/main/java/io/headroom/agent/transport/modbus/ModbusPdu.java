package io.headroom.agent.transport.modbus;

import io.headroom.agent.transport.modbus.ModbusException.Kind;
import java.util.Objects;

/**
 * Encodes request PDUs (function code and data, without unit id, CRC or MBAP header) for the read
 * functions 01–04 and the write functions 05, 06, 15 and 16, and checks and decodes their responses.
 * Pure functions over byte arrays; the framings ({@link RtuFrames}, {@link TcpTransport}) wrap them.
 */
public final class ModbusPdu {

    /** The most registers one read may ask for (Modbus Application Protocol §6.3). */
    public static final int MAX_READ_REGISTERS = 125;
    /** The most bits one read may ask for (§6.1). */
    public static final int MAX_READ_BITS = 2000;
    /** The most registers one FC 16 may write (§6.12). */
    public static final int MAX_WRITE_REGISTERS = 123;
    /** The most coils one FC 15 may write (§6.11). */
    public static final int MAX_WRITE_BITS = 1968;

    public static final int WRITE_SINGLE_COIL = 0x05;
    public static final int WRITE_SINGLE_REGISTER = 0x06;
    public static final int WRITE_MULTIPLE_COILS = 0x0F;
    public static final int WRITE_MULTIPLE_REGISTERS = 0x10;

    private ModbusPdu() {}

    /** A read of {@code count} items of {@code table} from wire address {@code address}. */
    public static byte[] read(ModbusTable table, int address, int count) {
        Objects.requireNonNull(table, "table");
        requireAddress(address);
        if (count < 1 || count > table.maxRead()) {
            throw new IllegalArgumentException(
                    "count: " + count + " must be 1 to " + table.maxRead() + " for " + table.spelling());
        }
        if (address + count > 0x10000) {
            throw new IllegalArgumentException("count: " + count + " items from " + address + " run past 65535");
        }
        return new byte[] {
            (byte) table.readFunction(), (byte) (address >>> 8), (byte) address, (byte) (count >>> 8), (byte) count
        };
    }

    /** FC 05: one coil on (0xFF00) or off (0x0000). */
    public static byte[] writeSingleCoil(int address, boolean on) {
        requireAddress(address);
        return new byte[] {WRITE_SINGLE_COIL, (byte) (address >>> 8), (byte) address, (byte) (on ? 0xFF : 0), 0};
    }

    /** FC 06: one holding register. */
    public static byte[] writeSingleRegister(int address, int value) {
        requireAddress(address);
        requireWord(value);
        return new byte[] {
            WRITE_SINGLE_REGISTER, (byte) (address >>> 8), (byte) address, (byte) (value >>> 8), (byte) value
        };
    }

    /** FC 15: consecutive coils. */
    public static byte[] writeMultipleCoils(int address, boolean[] values) {
        requireAddress(address);
        if (values.length < 1 || values.length > MAX_WRITE_BITS) {
            throw new IllegalArgumentException("values: " + values.length + " coils, must be 1 to " + MAX_WRITE_BITS);
        }
        int bytes = (values.length + 7) / 8;
        byte[] pdu = new byte[6 + bytes];
        pdu[0] = WRITE_MULTIPLE_COILS;
        pdu[1] = (byte) (address >>> 8);
        pdu[2] = (byte) address;
        pdu[3] = (byte) (values.length >>> 8);
        pdu[4] = (byte) values.length;
        pdu[5] = (byte) bytes;
        for (int i = 0; i < values.length; i++) {
            if (values[i]) {
                pdu[6 + i / 8] |= (byte) (1 << (i % 8));
            }
        }
        return pdu;
    }

    /** FC 16: consecutive holding registers. */
    public static byte[] writeMultipleRegisters(int address, int[] values) {
        requireAddress(address);
        if (values.length < 1 || values.length > MAX_WRITE_REGISTERS) {
            throw new IllegalArgumentException(
                    "values: " + values.length + " registers, must be 1 to " + MAX_WRITE_REGISTERS);
        }
        byte[] pdu = new byte[6 + 2 * values.length];
        pdu[0] = WRITE_MULTIPLE_REGISTERS;
        pdu[1] = (byte) (address >>> 8);
        pdu[2] = (byte) address;
        pdu[3] = (byte) (values.length >>> 8);
        pdu[4] = (byte) values.length;
        pdu[5] = (byte) (2 * values.length);
        for (int i = 0; i < values.length; i++) {
            requireWord(values[i]);
            pdu[6 + 2 * i] = (byte) (values[i] >>> 8);
            pdu[7 + 2 * i] = (byte) values[i];
        }
        return pdu;
    }

    /** The length of the normal response PDU to {@code request}. */
    public static int responseLength(byte[] request) {
        int function = request[0] & 0xFF;
        return switch (function) {
            case 0x01, 0x02 -> 2 + (word(request, 3) + 7) / 8;
            case 0x03, 0x04 -> 2 + 2 * word(request, 3);
            case WRITE_SINGLE_COIL, WRITE_SINGLE_REGISTER, WRITE_MULTIPLE_COILS, WRITE_MULTIPLE_REGISTERS -> 5;
            default -> throw new IllegalArgumentException("function " + function + " is not one this client sends");
        };
    }

    /**
     * Checks that {@code response} answers {@code request}: an exception response is thrown as one,
     * and a response of the wrong function, length or echo is a {@link Kind#BAD_RESPONSE}.
     */
    public static void check(byte[] request, byte[] response) throws ModbusException {
        int function = request[0] & 0xFF;
        if (response.length == 0) {
            throw new ModbusException(Kind.BAD_RESPONSE, "empty response to function " + hex(function));
        }
        int answered = response[0] & 0xFF;
        if (answered == (function | 0x80)) {
            if (response.length != 2) {
                throw new ModbusException(
                        Kind.BAD_RESPONSE, "exception response of " + response.length + " bytes, not 2");
            }
            throw ModbusException.exceptionResponse(function, response[1] & 0xFF);
        }
        if (answered != function) {
            throw new ModbusException(
                    Kind.BAD_RESPONSE, "response is for function " + hex(answered) + ", not " + hex(function));
        }
        int expected = responseLength(request);
        if (response.length != expected) {
            throw new ModbusException(
                    Kind.BAD_RESPONSE,
                    "function " + hex(function) + " response has " + response.length + " bytes, not " + expected);
        }
        switch (function) {
            case 0x01, 0x02, 0x03, 0x04 -> {
                if ((response[1] & 0xFF) != expected - 2) {
                    throw new ModbusException(
                            Kind.BAD_RESPONSE,
                            "byte count " + (response[1] & 0xFF) + " does not match the " + (expected - 2)
                                    + " bytes asked for");
                }
            }
            case WRITE_SINGLE_COIL, WRITE_SINGLE_REGISTER -> {
                for (int i = 1; i < 5; i++) {
                    if (response[i] != request[i]) {
                        throw new ModbusException(
                                Kind.BAD_RESPONSE, "write response does not echo the request's address and value");
                    }
                }
            }
            default -> {
                for (int i = 1; i < 5; i++) {
                    if (response[i] != request[i]) {
                        throw new ModbusException(
                                Kind.BAD_RESPONSE, "write response does not echo the request's address and count");
                    }
                }
            }
        }
    }

    /** The registers of a checked FC 03/04 response, each 0–65535. */
    public static int[] registers(byte[] response) {
        int count = (response[1] & 0xFF) / 2;
        int[] words = new int[count];
        for (int i = 0; i < count; i++) {
            words[i] = word(response, 2 + 2 * i);
        }
        return words;
    }

    /** The first {@code count} bits of a checked FC 01/02 response. */
    public static boolean[] bits(byte[] response, int count) {
        boolean[] bits = new boolean[count];
        for (int i = 0; i < count; i++) {
            bits[i] = (response[2 + i / 8] & (1 << (i % 8))) != 0;
        }
        return bits;
    }

    static int word(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }

    static String hex(int function) {
        return String.format("%02X", function);
    }

    private static void requireAddress(int address) {
        if (address < 0 || address > 0xFFFF) {
            throw new IllegalArgumentException("address: " + address + " must be 0 to 65535");
        }
    }

    private static void requireWord(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("value: " + value + " must be 0 to 65535 (one register)");
        }
    }
}
