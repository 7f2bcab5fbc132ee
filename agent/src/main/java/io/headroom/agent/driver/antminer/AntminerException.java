package io.headroom.agent.driver.antminer;

import java.util.Objects;

/** One CGI exchange gave no usable answer; the reason is the device's OFFLINE/DEGRADED reason code. */
final class AntminerException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The miner refused the user name and password (a 401 after a fresh challenge). */
    static final String AUTH_FAILED = "auth-failed";
    /** The miner's challenge asks for something this client does not do (auth-int only, an unknown algorithm). */
    static final String AUTH_UNSUPPORTED = "auth-unsupported";
    /** The device has no credentials reference, or it cannot be read. */
    static final String NO_CREDENTIALS = "no-credentials";
    /** A reply that parses but does not have the expected shape, or a CGI that reports an error. */
    static final String BAD_RESPONSE = "bad-response";
    /** The driver was closed. */
    static final String CLOSED = "closed";

    private final String reason;
    private final boolean transport;

    AntminerException(String reason, String message, boolean transport, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.transport = transport;
    }

    AntminerException(String reason, String message) {
        this(reason, message, false, null);
    }

    String reason() {
        return reason;
    }

    /** True when the connection itself failed: the next request to the same miner will likely fail too. */
    boolean isTransport() {
        return transport;
    }
}
