package io.headroom.agent.driver.cgminer;

import java.util.Objects;

/**
 * One CGMiner request did not give a usable reply. Never leaves the driver: it becomes a per-command
 * error of a poll or a FAILED command outcome.
 */
final class CgminerException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Nothing listens on the port. */
    static final String CONNECTION_REFUSED = "connection-refused";
    /** No connection or no complete reply within the device's timeout. */
    static final String TIMEOUT = "timeout";
    /** The reply is not JSON even after repair, is too large, or lacks what the command returns. */
    static final String BAD_RESPONSE = "bad-response";
    /** The firmware answered with STATUS E/F/W. */
    static final String DEVICE_ERROR = "device-error";
    /** The firmware refused a privileged command (code 45, "Access denied"). */
    static final String NOT_PRIVILEGED = "not-privileged";
    /** The host name does not resolve. */
    static final String UNKNOWN_HOST = "unknown-host";
    /** Any other socket failure (reset, unreachable). */
    static final String IO_ERROR = "io-error";
    /** A reply (or a status string inside it) was cut short. */
    static final String TRUNCATED = "truncated-response";
    /** The driver was closed while the request ran. */
    static final String CLOSED = "closed";

    private final String reason;
    private final boolean emptyReply;

    CgminerException(String reason, String message) {
        this(reason, message, false);
    }

    CgminerException(String reason, String message, boolean emptyReply) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.emptyReply = emptyReply;
    }

    CgminerException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.emptyReply = false;
    }

    /** True when the device closed the connection without sending anything. */
    boolean emptyReply() {
        return emptyReply;
    }

    /** Machine-readable reason, one of the constants of this class. */
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
