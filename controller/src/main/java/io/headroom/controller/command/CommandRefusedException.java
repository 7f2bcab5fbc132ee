package io.headroom.controller.command;

/** A command the controller would not send; the message says why in words an operator can act on. */
public final class CommandRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why, so the API can pick its status code. */
    public enum Reason {
        /** No device with that id (404). */
        UNKNOWN_DEVICE,
        /** The device is STALE or its agent is not listening (409). */
        DEVICE_UNAVAILABLE,
        /** Bad verb, value or ttl (400). */
        INVALID
    }

    private final Reason reason;

    public CommandRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
