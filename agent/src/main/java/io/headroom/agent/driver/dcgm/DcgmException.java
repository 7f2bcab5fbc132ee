package io.headroom.agent.driver.dcgm;

/**
 * Why a scrape gave no exposition: its reason code ({@code [a-z][a-z0-9-]*}) and whether the
 * device counts as OFFLINE (nothing answered) or DEGRADED (something answered, but not an
 * exposition).
 */
final class DcgmException extends Exception {

    static final String TIMEOUT = "timeout";
    static final String CONNECTION_REFUSED = "connection-refused";
    static final String UNKNOWN_HOST = "unknown-host";
    static final String IO_ERROR = "io-error";
    static final String CLOSED = "closed";
    static final String HTTP_STATUS = "http-status";
    static final String BAD_RESPONSE = "bad-response";
    static final String OVERSIZE = "oversize-response";

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final boolean offline;

    DcgmException(String reason, boolean offline, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.offline = offline;
    }

    DcgmException(String reason, boolean offline, String message) {
        this(reason, offline, message, null);
    }

    String reason() {
        return reason;
    }

    /** True when nothing usable answered (OFFLINE); false for an answer that is not an exposition. */
    boolean offline() {
        return offline;
    }
}
