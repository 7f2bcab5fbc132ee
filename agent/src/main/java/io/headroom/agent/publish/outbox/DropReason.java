package io.headroom.agent.publish.outbox;

/** Why the outbox let a record go before the controller acknowledged it; the tag of {@code headroom.outbox.dropped}. */
public enum DropReason {
    /** The byte bound ({@code outbox.max-bytes}) needed room. */
    MAX_BYTES("max-bytes"),
    /** The record bound ({@code publish.max-unacked}) needed room. */
    MAX_RECORDS("max-records"),
    /** Older than {@code outbox.max-age}. */
    MAX_AGE("max-age"),
    /** Its bytes on disk no longer match their checksum. */
    CORRUPT("corrupt"),
    /** Writing it failed (disk full, I/O error): it was never kept. */
    WRITE_FAILED("write-failed");

    private final String tag;

    DropReason(String tag) {
        this.tag = tag;
    }

    /** The metric tag value, e.g. {@code max-bytes}. */
    public String tag() {
        return tag;
    }
}
