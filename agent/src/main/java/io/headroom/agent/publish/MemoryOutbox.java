package io.headroom.agent.publish;

import com.google.protobuf.Message;
import io.headroom.protocol.wire.Data;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;

/**
 * The outbox in memory, bounded by a number of messages. When full, the oldest telemetry goes
 * first: command results are what the controller needs to close a command, and they are few.
 */
final class MemoryOutbox implements Outbox {
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final int capacity;
    private final Clock clock;

    MemoryOutbox(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: must be at least 1");
        }
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public int append(long seq, Message message) {
        Entry last = entries.peekLast();
        if (last != null && seq <= last.seq()) {
            throw new IllegalArgumentException("seq " + seq + " is not after " + last.seq());
        }
        int dropped = 0;
        while (entries.size() >= capacity && dropOldest()) {
            dropped++;
        }
        entries.addLast(new Entry(seq, message, clock.millis()));
        return dropped;
    }

    /** Drops the oldest Data, or the oldest message of any kind when only results remain. */
    private boolean dropOldest() {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            if (it.next().message() instanceof Data) {
                it.remove();
                return true;
            }
        }
        return entries.pollFirst() != null;
    }

    @Override
    public void ackThrough(long seq) {
        while (!entries.isEmpty() && entries.peekFirst().seq() <= seq) {
            entries.pollFirst();
        }
    }

    @Override
    public List<Entry> pending() {
        return new ArrayList<>(entries);
    }

    @Override
    public OptionalLong lowestSeq() {
        Entry first = entries.peekFirst();
        return first == null ? OptionalLong.empty() : OptionalLong.of(first.seq());
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public OptionalLong oldestAppendedAtMillis() {
        Entry first = entries.peekFirst();
        return first == null ? OptionalLong.empty() : OptionalLong.of(first.appendedAtMillis());
    }
}
