package io.headroom.agent.publish.outbox;

import com.google.protobuf.Message;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Result;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index and the bounds that every outbox shares; a subclass says where a record's bytes live
 * (memory, a segment file). Ordinal order is append order, so the oldest record of a priority is
 * the first ordinal of that priority's set.
 */
abstract class BoundedOutbox implements Outbox {

    /** Kind byte of a kept message. */
    static final byte KIND_DATA = 1;

    static final byte KIND_RESULT = 2;

    private final Logger logger = LoggerFactory.getLogger(getClass());
    private final int maxRecords;
    private final long maxBytes;
    private final long maxAgeMillis;
    protected final Clock clock;

    private final TreeMap<Long, Slot> live = new TreeMap<>();
    private final TreeSet<Long> low = new TreeSet<>();
    private final TreeSet<Long> high = new TreeSet<>();
    private final Map<Long, TreeMap<Long, Long>> byBoot = new HashMap<>();
    private final EnumMap<DropReason, AtomicLong> drops = new EnumMap<>(DropReason.class);
    private long nextOrdinal = 1;

    private volatile int size;
    private volatile long bytes;
    private volatile long oldestMillis = -1;

    BoundedOutbox(int maxRecords, long maxBytes, long maxAgeMillis, Clock clock) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("max records: must be at least 1, not " + maxRecords);
        }
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.maxAgeMillis = maxAgeMillis;
        this.clock = clock;
        for (DropReason reason : DropReason.values()) {
            drops.put(reason, new AtomicLong());
        }
    }

    /** One kept record: its identity, its cost and where its bytes are ({@link #where}, set by the subclass). */
    static final class Slot {
        final long ordinal;
        final long bootId;
        final long seq;
        final long appendedAtMillis;
        final Priority priority;
        final int bytes;
        Object where;

        Slot(long ordinal, long bootId, long seq, long appendedAtMillis, Priority priority, int bytes, Object where) {
            this.ordinal = ordinal;
            this.bootId = bootId;
            this.seq = seq;
            this.appendedAtMillis = appendedAtMillis;
            this.priority = priority;
            this.bytes = bytes;
            this.where = where;
        }
    }

    // ---- what a subclass provides ----------------------------------------------------------

    /** Stores a new record and returns where it is. */
    abstract Object store(Slot slot, byte kind, byte[] payload) throws IOException;

    /** Reads a record's message back. */
    abstract Message load(Slot slot) throws IOException;

    /** The record left the index (acked, dropped); its bytes may be reclaimed. */
    abstract void released(Slot slot);

    /** A drop of this record must survive a restart. */
    abstract void persistDrop(Slot slot);

    /** An ack through (boot, seq) must survive a restart. */
    abstract void persistAck(long bootId, long seq);

    /** The fsync policy's turn; nothing in memory. */
    void sync() {}

    /** The on-disk size of a record with a payload of {@code payloadLength} bytes. */
    static int recordBytes(int payloadLength) {
        return RecordCodec.appendRecordSize(payloadLength);
    }

    // ---- the index ------------------------------------------------------------------------

    @Override
    public final long append(Message message) {
        byte kind;
        long bootId;
        long seq;
        if (message instanceof Data data) {
            kind = KIND_DATA;
            bootId = data.getBootId();
            seq = data.getSeq();
        } else if (message instanceof Result result) {
            kind = KIND_RESULT;
            bootId = result.getBootId();
            seq = result.getSeq();
        } else {
            throw new IllegalArgumentException("the outbox keeps Data and Result only, not "
                    + message.getDescriptorForType().getName());
        }
        Priority priority = Priority.of(message);
        byte[] payload = message.toByteArray();
        int recordBytes = recordBytes(payload.length);
        long now = clock.millis();
        expire(now);
        if (recordBytes > maxBytes) {
            count(DropReason.MAX_BYTES, 1);
            logger.warn(
                    "a {}-byte record is larger than the whole outbox bound ({} bytes); dropped",
                    recordBytes,
                    maxBytes);
            return -1;
        }
        while (!live.isEmpty() && (live.size() >= maxRecords || bytes + recordBytes > maxBytes)) {
            dropOldest(live.size() >= maxRecords ? DropReason.MAX_RECORDS : DropReason.MAX_BYTES);
        }
        long ordinal = nextOrdinal++;
        Slot slot = new Slot(ordinal, bootId, seq, now, priority, recordBytes, null);
        try {
            slot.where = store(slot, kind, payload);
        } catch (IOException e) {
            count(DropReason.WRITE_FAILED, 1);
            logger.warn("cannot keep record seq {} in the outbox: {}", seq, e.toString());
            return -1;
        }
        index(slot);
        published();
        return ordinal;
    }

    /** Drops the oldest low-priority record, or the oldest high one when no low one is left. */
    private void dropOldest(DropReason reason) {
        Long victim = low.isEmpty() ? high.first() : low.first();
        Slot slot = unindex(victim);
        persistDrop(slot);
        released(slot);
        count(reason, 1);
    }

    private void expire(long now) {
        if (maxAgeMillis <= 0) {
            return;
        }
        int expired = 0;
        while (!live.isEmpty() && now - live.firstEntry().getValue().appendedAtMillis > maxAgeMillis) {
            Slot slot = unindex(live.firstKey());
            persistDrop(slot);
            released(slot);
            expired++;
        }
        if (expired > 0) {
            count(DropReason.MAX_AGE, expired);
            published();
        }
    }

    @Override
    public final void ackThrough(long bootId, long seq) {
        TreeMap<Long, Long> seqs = byBoot.get(bootId);
        if (seqs == null) {
            return;
        }
        NavigableMap<Long, Long> covered = seqs.headMap(seq, true);
        if (covered.isEmpty()) {
            return;
        }
        for (Long ordinal : new ArrayList<>(covered.values())) {
            released(unindex(ordinal));
        }
        persistAck(bootId, seq);
        published();
    }

    @Override
    public final List<Entry> after(long ordinal, int max) {
        List<Entry> entries = new ArrayList<>(Math.min(max, 64));
        Iterator<Slot> it = live.tailMap(ordinal, false).values().iterator();
        List<Slot> unreadable = new ArrayList<>();
        while (entries.size() < max && it.hasNext()) {
            Slot slot = it.next();
            try {
                entries.add(new Entry(
                        slot.ordinal, slot.bootId, slot.seq, load(slot), slot.appendedAtMillis, slot.priority));
            } catch (IOException e) {
                logger.warn("outbox record seq {} cannot be read back: {}; dropped", slot.seq, e.getMessage());
                unreadable.add(slot);
            }
        }
        for (Slot slot : unreadable) {
            unindex(slot.ordinal);
            persistDrop(slot);
            released(slot);
            count(DropReason.CORRUPT, 1);
        }
        if (!unreadable.isEmpty()) {
            published();
        }
        return entries;
    }

    @Override
    public final long lastOrdinal() {
        return nextOrdinal - 1;
    }

    @Override
    public final OptionalLong lowestSeq(long bootId) {
        TreeMap<Long, Long> seqs = byBoot.get(bootId);
        return seqs == null || seqs.isEmpty() ? OptionalLong.empty() : OptionalLong.of(seqs.firstKey());
    }

    @Override
    public final int size() {
        return size;
    }

    @Override
    public final long bytes() {
        return bytes;
    }

    @Override
    public final OptionalLong oldestAppendedAtMillis() {
        long oldest = oldestMillis;
        return oldest < 0 ? OptionalLong.empty() : OptionalLong.of(oldest);
    }

    @Override
    public final long dropped(DropReason reason) {
        return drops.get(reason).get();
    }

    @Override
    public long quarantined() {
        return 0;
    }

    @Override
    public final void tick() {
        expire(clock.millis());
        sync();
    }

    final void count(DropReason reason, long n) {
        drops.get(reason).addAndGet(n);
    }

    // ---- for recovery and compaction -------------------------------------------------------

    /** Puts a record read back at start-up into the index (a later copy of an ordinal replaces it). */
    final void restore(Slot slot) {
        if (live.containsKey(slot.ordinal)) {
            unindex(slot.ordinal);
        }
        index(slot);
        nextOrdinal = Math.max(nextOrdinal, slot.ordinal + 1);
    }

    /** Replays a drop read back at start-up. */
    final void restoreDrop(long ordinal) {
        if (live.containsKey(ordinal)) {
            unindex(ordinal);
        }
        nextOrdinal = Math.max(nextOrdinal, ordinal + 1);
    }

    /** Replays an ack read back at start-up. */
    final void restoreAck(long bootId, long seq) {
        TreeMap<Long, Long> seqs = byBoot.get(bootId);
        if (seqs != null) {
            for (Long ordinal : new ArrayList<>(seqs.headMap(seq, true).values())) {
                unindex(ordinal);
            }
        }
    }

    /** After start-up: bounds applied, statistics published. */
    final void restored() {
        expire(clock.millis());
        while (!live.isEmpty() && (live.size() > maxRecords || bytes > maxBytes)) {
            dropOldest(live.size() > maxRecords ? DropReason.MAX_RECORDS : DropReason.MAX_BYTES);
        }
        published();
    }

    /** Every kept record, oldest first (a view; do not change the outbox while iterating). */
    final Iterable<Slot> slots() {
        return live.values();
    }

    private void index(Slot slot) {
        live.put(slot.ordinal, slot);
        (slot.priority == Priority.LOW ? low : high).add(slot.ordinal);
        byBoot.computeIfAbsent(slot.bootId, b -> new TreeMap<>()).put(slot.seq, slot.ordinal);
        bytes += slot.bytes;
    }

    private Slot unindex(long ordinal) {
        Slot slot = live.remove(ordinal);
        (slot.priority == Priority.LOW ? low : high).remove(ordinal);
        TreeMap<Long, Long> seqs = byBoot.get(slot.bootId);
        seqs.remove(slot.seq);
        if (seqs.isEmpty()) {
            byBoot.remove(slot.bootId);
        }
        bytes -= slot.bytes;
        return slot;
    }

    private void published() {
        size = live.size();
        oldestMillis = live.isEmpty() ? -1 : live.firstEntry().getValue().appendedAtMillis;
    }
}
