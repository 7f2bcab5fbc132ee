package io.headroom.agent.publish.outbox;

import com.google.protobuf.Message;
import java.util.List;
import java.util.OptionalLong;

/**
 * What the agent has published but the controller has not acknowledged yet, oldest first. The
 * agent may forget a record only when an {@code Ack} of its boot covers its seq, or when a bound
 * forces a drop, which is counted by {@link DropReason}.
 *
 * <p>Records are ordered by an ordinal given at append, not by (boot, seq): a restarted agent still
 * holds the records of its earlier boots and replays them, in the order they were made, before
 * the new boot's.
 *
 * <p>Bounded by records, bytes and age. Over the byte or record bound the oldest {@link
 * Priority#LOW} record goes first, a {@link Priority#HIGH} one only when no low one is left; past
 * the age bound a record goes whatever its priority.
 *
 * <p>Not thread-safe: used from the publisher's single thread. The statistics ({@link #size()},
 * {@link #bytes()}, {@link #dropped}, {@link #quarantined()}) may be read from any thread.
 */
public interface Outbox extends AutoCloseable {

    /**
     * Keeps {@code message}, a {@code Data} or a {@code Result}, under its own (boot_id, seq). When
     * this returns the record is acknowledged by the outbox: it survives a kill -9 of the agent (and,
     * after the fsync policy's delay, a power loss) until acked or dropped by a bound.
     *
     * @return the record's ordinal, or -1 when it could not be kept (counted as a drop)
     * @throws IllegalArgumentException if {@code message} is neither a Data nor a Result
     */
    long append(Message message);

    /** Forgets every record of boot {@code bootId} with a seq up to and including {@code seq}. */
    void ackThrough(long bootId, long seq);

    /**
     * Up to {@code max} kept records with an ordinal above {@code ordinal}, oldest first. A record
     * that cannot be read back (its bytes changed on disk) is dropped as {@link DropReason#CORRUPT}
     * and skipped.
     */
    List<Entry> after(long ordinal, int max);

    /** The ordinal of the newest record appended, 0 before any. */
    long lastOrdinal();

    /** The lowest kept seq of boot {@code bootId}, if any. */
    OptionalLong lowestSeq(long bootId);

    /** Kept records. */
    int size();

    /** Bytes of the kept records, as the byte bound counts them (a record's full size on disk). */
    long bytes();

    /** Wall-clock millis when the oldest kept record was appended, if any. */
    OptionalLong oldestAppendedAtMillis();

    /** Records dropped so far for {@code reason}, since this outbox was opened. */
    long dropped(DropReason reason);

    /** Segments moved aside as corrupt, since this outbox was opened (always 0 in memory). */
    long quarantined();

    /** Applies the age bound and, on disk, the fsync policy; call it regularly (every batch). */
    void tick();

    /** Forces what was appended to disk and releases files; idempotent. */
    @Override
    void close();

    /**
     * One kept record.
     *
     * @param ordinal its place in the outbox, across boots
     * @param bootId the boot that made it
     * @param seq its seq in that boot's stream
     * @param message the message as first made (not flagged historical)
     * @param appendedAtMillis when it was appended (agent wall clock)
     * @param priority what the bound drops first
     */
    record Entry(long ordinal, long bootId, long seq, Message message, long appendedAtMillis, Priority priority) {}
}
