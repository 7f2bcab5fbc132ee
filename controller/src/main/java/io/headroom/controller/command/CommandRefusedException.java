package io.headroom.controller.command;

import java.util.Objects;

/** A command the controller would not send; the message says why in words an operator can act on. */
public final class CommandRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why, so the API can pick its status code; {@link #code()} is the machine-readable name. */
    public enum Reason {
        /** No device with that id (404). */
        UNKNOWN_DEVICE("unknown-device"),
        /** The device is STALE, in conflict (two agents report its id) or its agent is not listening (409). */
        DEVICE_UNAVAILABLE("device-unavailable"),
        /** Bad verb, value or ttl (400). */
        INVALID("invalid"),
        /** The verb is not among the device's capabilities (422). */
        UNSUPPORTED("unsupported"),
        /** The verb takes a value and none was given (422). */
        VALUE_REQUIRED("value-required"),
        /** The verb takes no value and one was given (422). */
        VALUE_NOT_ALLOWED("value-not-allowed"),
        /** The value is outside the capability's min..max (422). */
        OUT_OF_RANGE("out-of-range"),
        /** The value is in range but not min + k × step (422). */
        OFF_STEP("off-step"),
        /** The instance is missing where required, not listed, or given for a verb without instances (422). */
        UNKNOWN_INSTANCE("unknown-instance");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The name the API and the meters use, e.g. {@code out-of-range}. */
        public String code() {
            return code;
        }

        /**
         * The reason of a code.
         *
         * @throws IllegalArgumentException for a code no reason has (a capability rule without a reason
         *     here is a programming error)
         */
        public static Reason of(String code) {
            for (Reason reason : values()) {
                if (reason.code.equals(code)) {
                    return reason;
                }
            }
            throw new IllegalArgumentException("no refusal reason '" + code + "'");
        }
    }

    private final Reason reason;

    public CommandRefusedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
