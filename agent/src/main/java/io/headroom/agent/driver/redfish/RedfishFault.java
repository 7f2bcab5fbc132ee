package io.headroom.agent.driver.redfish;

import io.headroom.agent.transport.http.HttpTransportException;
import java.util.Objects;

/**
 * One Redfish request gave no usable answer. Never leaves the driver: it becomes part of a poll's
 * health or a FAILED command outcome. Reasons are the transport's ({@code timeout},
 * {@code connection-refused}, {@code tls}, {@code oversize}, {@code garbage}, {@code http-404} …)
 * and the driver's own below.
 */
final class RedfishFault extends Exception {

    private static final long serialVersionUID = 1L;

    /** The BMC refused the account (401 at login, or on basic auth). */
    static final String AUTH_FAILED = "auth-failed";
    /** The password could not be read from where its reference points. */
    static final String NO_CREDENTIALS = "no-credentials";
    /** The answer is JSON but not what Redfish says it is (no token, a member outside the service). */
    static final String BAD_RESPONSE = "bad-response";
    /** A value that should be a number is not. */
    static final String BAD_VALUE = "bad-value";
    /** The driver was closed. */
    static final String CLOSED = HttpTransportException.CLOSED;

    private final String reason;
    private final boolean connection;

    RedfishFault(String reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.connection = false;
    }

    RedfishFault(HttpTransportException cause) {
        super(cause.getMessage(), cause);
        this.reason = cause.reason();
        this.connection = cause.isConnection();
    }

    /** Machine-readable reason. */
    String reason() {
        return reason;
    }

    /**
     * True when the BMC cannot be reached or refused the account: further requests of the same poll
     * would fail the same way, so they are not tried.
     */
    boolean stopsPoll() {
        return connection || reason.equals(AUTH_FAILED) || reason.equals(NO_CREDENTIALS) || reason.equals(CLOSED);
    }
}
