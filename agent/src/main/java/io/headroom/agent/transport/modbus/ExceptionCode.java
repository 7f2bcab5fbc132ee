package io.headroom.agent.transport.modbus;

/**
 * The exception codes of a Modbus exception response (Modbus Application Protocol v1.1b3, §7), named
 * as the specification names them.
 */
public enum ExceptionCode {
    ILLEGAL_FUNCTION(0x01, "illegal function"),
    ILLEGAL_DATA_ADDRESS(0x02, "illegal data address"),
    ILLEGAL_DATA_VALUE(0x03, "illegal data value"),
    SLAVE_DEVICE_FAILURE(0x04, "slave device failure"),
    ACKNOWLEDGE(0x05, "acknowledge"),
    SLAVE_DEVICE_BUSY(0x06, "slave device busy"),
    NEGATIVE_ACKNOWLEDGE(0x07, "negative acknowledge"),
    MEMORY_PARITY_ERROR(0x08, "memory parity error"),
    GATEWAY_PATH_UNAVAILABLE(0x0A, "gateway path unavailable"),
    GATEWAY_TARGET_FAILED(0x0B, "gateway target device failed to respond");

    private final int code;
    private final String description;

    ExceptionCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    /** The specification's name, lower case. */
    public String description() {
        return description;
    }

    /** The code's name, or "exception code 0xNN" for one the specification does not define. */
    public static String describe(int code) {
        for (ExceptionCode known : values()) {
            if (known.code == code) {
                return known.description + " (" + String.format("%02X", code) + ")";
            }
        }
        return "unknown exception code " + String.format("%02X", code);
    }

    /** Whether a retry may succeed: the slave was busy or a gateway's target did not answer. */
    public static boolean isTransient(int code) {
        return code == SLAVE_DEVICE_BUSY.code || code == GATEWAY_TARGET_FAILED.code || code == ACKNOWLEDGE.code;
    }
}
