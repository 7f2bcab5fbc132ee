package io.headroom.agent.driver.whatsminer;

import java.util.Objects;

/**
 * One Whatsminer request did not give a usable reply. Never leaves the driver: it becomes a poll's
 * health or a FAILED command outcome, with {@link #reason()} as the machine-readable reason.
 */
final class WhatsminerException extends Exception {

    private static final long serialVersionUID = 1L;

    static final String CONNECTION_REFUSED = "connection-refused";
    static final String TIMEOUT = "timeout";
    static final String BAD_RESPONSE = "bad-response";
    static final String DEVICE_ERROR = "device-error";
    /** Code 45: the privileged (write) API is off or this client is not allowed. */
    static final String NOT_PRIVILEGED = "not-privileged";
    /** Code 135 (v2) or a refused v3 token, also after a fresh token: most likely a wrong password. */
    static final String AUTH_FAILED = "auth-failed";
    /** Code 136: the miner holds too many tokens for this client; the driver backs off. */
    static final String TOO_MANY_TOKENS = "too-many-tokens";
    /** A write without a password reference in the device's {@code credentials}. */
    static final String NO_CREDENTIALS = "no-credentials";

    static final String UNKNOWN_HOST = "unknown-host";
    static final String IO_ERROR = "io-error";
    static final String CLOSED = "closed";

    private final String reason;

    WhatsminerException(String reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    WhatsminerException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    String reason() {
        return reason;
    }

    /** True for failures of the connection itself, after which further requests will likely fail too. */
    boolean isTransport() {
        return reason.equals(CONNECTION_REFUSED)
                || reason.equals(TIMEOUT)
                || reason.equals(UNKNOWN_HOST)
                || reason.equals(IO_ERROR);
    }
}
