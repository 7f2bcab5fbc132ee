package io.headroom.agent.driver.nvsmi;

/**
 * Why running nvidia-smi gave nothing usable: a reason code ({@code [a-z][a-z0-9-]*}) and whether the
 * device counts as OFFLINE (nothing answered) or DEGRADED (it answered, but not with the document).
 */
final class NvsmiException extends Exception {

    static final String TIMEOUT = "timeout";
    /** Nothing answers at all: the executable cannot be started or cannot reach the kernel driver. */
    static final String CONNECTION_REFUSED = "connection-refused";

    static final String COMMAND_FAILED = "command-failed";
    static final String CLOSED = "closed";
    static final String BAD_RESPONSE = "bad-response";
    static final String OVERSIZE = "oversize-response";

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final boolean offline;

    NvsmiException(String reason, boolean offline, String message) {
        super(message);
        this.reason = reason;
        this.offline = offline;
    }

    String reason() {
        return reason;
    }

    boolean offline() {
        return offline;
    }
}
