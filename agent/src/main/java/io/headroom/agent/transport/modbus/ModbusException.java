package io.headroom.agent.transport.modbus;

import java.io.IOException;
import java.util.Objects;

/**
 * A Modbus request got no usable answer: an exception response (named, with its code), no answer
 * within the timeout, a frame whose CRC or header is wrong, or a transport that could not be reached.
 * {@link #reason()} is a stable code for poll results and logs.
 */
public final class ModbusException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The slave answered with an exception response; {@link #exceptionCode()} says which. */
        EXCEPTION("modbus-exception"),
        /** No complete answer within the timeout. */
        TIMEOUT("timeout"),
        /** The answer's CRC did not match. */
        CRC("crc-error"),
        /** The answer was not a reply to the request (wrong unit, function, length or transaction id). */
        BAD_RESPONSE("bad-response"),
        /** The TCP peer refused the connection (nothing listens on its port). */
        REFUSED("connection-refused"),
        /** The serial bus or TCP peer could not be reached (port missing, connect timed out, I/O error). */
        UNREACHABLE("unreachable"),
        /** The transport was closed (the agent is stopping). */
        CLOSED("closed");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Kind kind;
    private final int exceptionCode;

    public ModbusException(Kind kind, String message) {
        this(kind, 0, message, null);
    }

    public ModbusException(Kind kind, String message, Throwable cause) {
        this(kind, 0, message, cause);
    }

    private ModbusException(Kind kind, int exceptionCode, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.exceptionCode = exceptionCode;
    }

    /** An exception response of function {@code function} with {@code code}, the code named in the message. */
    public static ModbusException exceptionResponse(int function, int code) {
        return new ModbusException(
                Kind.EXCEPTION,
                code,
                "function " + String.format("%02X", function) + " refused: " + ExceptionCode.describe(code),
                null);
    }

    /** The same failure with {@code context} ("unit 3 on serial bus a: ") before its message. */
    public ModbusException withContext(String context) {
        return new ModbusException(kind, exceptionCode, context + getMessage(), this);
    }

    public Kind kind() {
        return kind;
    }

    /** The exception code of an exception response, 0 otherwise. */
    public int exceptionCode() {
        return exceptionCode;
    }

    /** Stable code: the kind's, or for an exception response {@code modbus-exception-NN}. */
    public String reason() {
        return kind == Kind.EXCEPTION ? kind.code() + "-" + String.format("%02x", exceptionCode) : kind.code();
    }

    /** Whether the same request may get an answer when sent again. */
    public boolean isTransient() {
        return switch (kind) {
            case TIMEOUT, CRC, BAD_RESPONSE -> true;
            case EXCEPTION -> ExceptionCode.isTransient(exceptionCode);
            case REFUSED, UNREACHABLE, CLOSED -> false;
        };
    }
}
