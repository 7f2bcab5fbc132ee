package io.headroom.agent.publish;

import com.google.protobuf.Message;
import java.util.List;
import java.util.OptionalLong;

/**
 * Messages published but not yet acknowledged by the controller, in seq order. The agent may
 * forget a message only when an {@code Ack} covers its seq. This in-memory contract is what the
 * durable, crash-safe outbox (a later issue) implements too.
 *
 * <p>Dropping a Data from behind a kept Result leaves a hole in the pending seqs. That is honest
 * (the data is lost) and heals by itself: the controller sees the gap, acks the contiguous part
 * with a rebirth request, and the next Birth's {@code pending_from_seq} starts above the hole.
 *
 * <p>Not thread-safe: used from the publisher's single thread.
 */
interface Outbox {

    /**
     * Keeps {@code message} (a {@code Data} or {@code Result}) under {@code seq}, which is larger
     * than every seq appended before. Over the bound, drops the oldest {@code Data} first.
     *
     * @return how many older messages were dropped to make room
     */
    int append(long seq, Message message);

    /** Forgets every message with a seq up to and including {@code seq}. */
    void ackThrough(long seq);

    /** Every kept message, oldest first. */
    List<Entry> pending();

    /** The lowest kept seq, if any. */
    OptionalLong lowestSeq();

    int size();

    /** Wall-clock millis when the oldest kept message was appended, if any. */
    OptionalLong oldestAppendedAtMillis();

    /**
     * One kept message.
     *
     * @param seq its place in the agent's stream
     * @param message the message as first published
     * @param appendedAtMillis when it was appended (agent wall clock)
     */
    record Entry(long seq, Message message, long appendedAtMillis) {}
}
