package io.headroom.agent.driver.snmp;

/**
 * A request that got no usable answer: a device fault, turned into an OFFLINE or DEGRADED poll or a
 * FAILED command by the driver, never thrown out of it.
 */
public final class SnmpFault extends Exception {

    /** No valid response within the timeout and its retries. */
    public static final String TIMEOUT = "timeout";
    /** The agent refused our credentials (v3 USM report, or authorizationError). */
    public static final String AUTH = "auth";
    /** A reply that is not SNMP, or not a reply to what was asked. */
    public static final String BAD_RESPONSE = "bad-response";
    /** The agent answered with an error status (noSuchName, notWritable, wrongValue, genErr …). */
    public static final String DEVICE_ERROR = "device-error";
    /** The driver or the agent's SNMP session was closed. */
    public static final String CLOSED = "closed";
    /** The request could not be sent (unresolvable host, no route, socket error). */
    public static final String IO = "io-error";
    /**
     * SNMPv3 authPriv requests go unanswered while the same user's authenticated, unencrypted probe is
     * answered: the privacy protocol or passphrase is wrong (Net-SNMP drops such a request without a report).
     */
    public static final String PRIVACY_MISMATCH = "usm-privacy-mismatch";
    /** A secret (community, passphrase) could not be read. */
    public static final String CREDENTIALS = "credentials";

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final boolean transport;

    /**
     * @param transport true when the device as a whole did not answer usably (further requests of this
     *     poll would fare alike), false for a fault of this one request
     */
    public SnmpFault(String reason, String message, boolean transport) {
        super(message);
        this.reason = reason;
        this.transport = transport;
    }

    public SnmpFault(String reason, String message, boolean transport, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.transport = transport;
    }

    /** Machine-readable reason, one of the constants here. */
    public String reason() {
        return reason;
    }

    /** True when the device as a whole is not reachable: further requests in this poll would fail alike. */
    public boolean isTransport() {
        return transport;
    }
}
