package io.headroom.agent.publish.outbox;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Result;
import java.time.Clock;

/**
 * The outbox in memory, with the same bounds and drop order as the segment log: what the agent
 * uses when {@code outbox.dir} is not set, and in tests. Lost on restart.
 */
public final class MemoryOutbox extends BoundedOutbox {

    /**
     * @param maxRecords record bound
     * @param maxBytes byte bound, counted as the records would take on disk
     * @param maxAgeMillis age bound; 0 for none
     */
    public MemoryOutbox(int maxRecords, long maxBytes, long maxAgeMillis, Clock clock) {
        super(maxRecords, maxBytes, maxAgeMillis, clock);
    }

    /** Bounded by records only. */
    public MemoryOutbox(int maxRecords, Clock clock) {
        this(maxRecords, Long.MAX_VALUE, 0, clock);
    }

    private record Kept(byte kind, byte[] payload) {}

    @Override
    Object store(Slot slot, byte kind, byte[] payload) {
        return new Kept(kind, payload);
    }

    @Override
    Message load(Slot slot) throws InvalidProtocolBufferException {
        Kept kept = (Kept) slot.where;
        return kept.kind() == KIND_DATA ? Data.parseFrom(kept.payload()) : Result.parseFrom(kept.payload());
    }

    @Override
    void released(Slot slot) {
        slot.where = null;
    }

    @Override
    void persistDrop(Slot slot) {}

    @Override
    void persistAck(long bootId, long seq) {}

    @Override
    public void close() {}
}
