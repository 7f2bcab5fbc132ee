package io.headroom.protocol;

/**
 * How much raw device text a {@code read-last-reply} Result carries: bounded so the Result fits the
 * smallest MQTT packet limit in use (the endpoint's default is 1 MiB) with room to spare.
 */
public final class RawReplyLimits {

    /** The most reply text, in UTF-8 bytes. */
    public static final int MAX_REPLY_BYTES = 64 * 1024;

    /** The most request text (what the poll asked), in UTF-8 bytes. */
    public static final int MAX_REQUEST_BYTES = 4 * 1024;

    private RawReplyLimits() {}
}
