package io.headroom.protocol;

/**
 * A payload that is not a valid message of the expected type. Checked, so that every receiver
 * decides explicitly to count and drop it; a malformed message must never kill a subscriber.
 */
public final class MalformedPayloadException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why decoding failed. */
    public enum Reason {
        /** Zero bytes where a message was expected. */
        EMPTY,
        /** Not a protobuf encoding of the type (truncated, bad tag, bad length, bad UTF-8). */
        UNPARSEABLE,
        /** Parses, but breaks a rule of the protocol (missing id, column lengths differ, …). */
        INVALID
    }

    private final Reason reason;
    private final String messageType;

    public MalformedPayloadException(Reason reason, String messageType, String detail) {
        super(messageType + ": " + detail);
        this.reason = reason;
        this.messageType = messageType;
    }

    public MalformedPayloadException(Reason reason, String messageType, String detail, Throwable cause) {
        super(messageType + ": " + detail, cause);
        this.reason = reason;
        this.messageType = messageType;
    }

    public Reason reason() {
        return reason;
    }

    /** Simple name of the message type that was expected, e.g. {@code Data}. */
    public String messageType() {
        return messageType;
    }
}
