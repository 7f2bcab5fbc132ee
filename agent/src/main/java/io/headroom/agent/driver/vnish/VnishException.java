package io.headroom.agent.driver.vnish;

import java.util.Objects;

/** One REST exchange gave no usable answer; the reason is the device's OFFLINE/DEGRADED reason code. */
final class VnishException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The miner refused the password at {@code /unlock}, refused a fresh token, or refused the API key. */
    static final String AUTH_FAILED = "auth-failed";
    /** The device has no credentials reference, or it cannot be read. */
    static final String NO_CREDENTIALS = "no-credentials";
    /** A reply that parses but does not have the expected shape or types. */
    static final String BAD_RESPONSE = "bad-response";
    /** The body is not JSON. */
    static final String GARBAGE = "garbage";
    /** The driver was closed. */
    static final String CLOSED = "closed";

    private final String reason;
    private final boolean transport;

    VnishException(String reason, String message, boolean transport, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.transport = transport;
    }

    VnishException(String reason, String message) {
        this(reason, message, false, null);
    }

    String reason() {
        return reason;
    }

    /** True when the connection itself failed: the next request to the same miner will likely fail too. */
    boolean isTransport() {
        return transport;
    }

    /** True when asking again in the same poll is pointless: closed, or no way to authenticate. */
    boolean stopsPoll() {
        return transport || reason.equals(CLOSED) || reason.equals(AUTH_FAILED) || reason.equals(NO_CREDENTIALS);
    }
}
