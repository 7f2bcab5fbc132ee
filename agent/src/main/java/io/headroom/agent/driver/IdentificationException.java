package io.headroom.agent.driver;

/**
 * A device configured with {@code profile: auto} could not be asked who it is (no answer, garbage):
 * identification is tried again at its next poll.
 */
public final class IdentificationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason machine-readable, e.g. {@code timeout}, {@code connection-refused}
     * @param message for humans
     */
    public IdentificationException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** The reason code the device's OFFLINE status carries. */
    public String reason() {
        return reason;
    }
}
