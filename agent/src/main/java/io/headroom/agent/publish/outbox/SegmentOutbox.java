package io.headroom.agent.publish.outbox;

import com.google.protobuf.Message;
import io.headroom.agent.config.OutboxSettings.Fsync;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Result;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox: an append-only log of {@link RecordCodec} records in numbered segment files
 * ({@code 0000000000000001.seg} …) under one directory. Appends, drops and acks are records; the
 * index lives in memory and is rebuilt from the log at start-up. Each append is one positional
 * {@code write} of a whole record, so what {@link #append} returned survives a kill -9 of the
 * process at once (the bytes are in the kernel's page cache); the {@link Fsync} policy decides
 * how much a power loss may take.
 *
 * <p>Space comes back from the oldest end only: the oldest segment is deleted once none of its
 * records is kept, or, when the log outgrows the bound by two segments, compacted (its kept records
 * copied to the newest segment, forced to disk, and only then the old file unlinked). A drop or ack
 * record therefore never outlives the records it cancels in an older file, and nothing cancelled
 * comes back at the next start.
 *
 * <p>Start-up never fails on what it finds: a torn tail is cut off, a damaged segment is moved to
 * {@code quarantine/} (counted, logged) after the records before the damage are salvaged, and a
 * file that cannot be read is quarantined too.
 */
public final class SegmentOutbox extends BoundedOutbox {

    private static final String SUFFIX = ".seg";

    private final Logger logger = LoggerFactory.getLogger(SegmentOutbox.class);
    private final Path dir;
    private final Path quarantineDir;
    private final Fsync fsync;
    private final long fsyncIntervalMillis;
    private final long segmentBytes;
    private final long compactAbove;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong fsyncs = new AtomicLong();
    private Segment active;
    private boolean dirty;
    private long lastSyncMillis;
    private long diskBytes;
    private boolean closed;

    /** One segment file, open for reading and (the active one) appending. */
    private static final class Segment {
        final long id;
        final Path path;
        final FileChannel channel;
        long size;
        int live;

        Segment(long id, Path path, FileChannel channel, long size) {
            this.id = id;
            this.path = path;
            this.channel = channel;
            this.size = size;
        }
    }

    /** Where a kept record's frame is. */
    private record Location(Segment segment, long offset, int length) {}

    /** A record salvaged from a quarantined segment, rewritten once the active segment is open. */
    private record Salvaged(byte[] frame) {}

    private SegmentOutbox(
            Path dir,
            int maxRecords,
            long maxBytes,
            long maxAgeMillis,
            Fsync fsync,
            long fsyncIntervalMillis,
            Clock clock) {
        super(maxRecords, maxBytes, maxAgeMillis, clock);
        this.dir = dir;
        this.quarantineDir = dir.resolve("quarantine");
        this.fsync = fsync;
        this.fsyncIntervalMillis = fsyncIntervalMillis;
        this.segmentBytes = Math.max(256L << 10, Math.min(16L << 20, maxBytes / 16));
        this.compactAbove = maxBytes + 2 * segmentBytes;
    }

    /**
     * Opens (creating it if needed) the outbox in {@code dir}, recovering what an earlier run left.
     *
     * @throws IOException only if {@code dir} itself cannot be created, listed or written to
     */
    public static SegmentOutbox open(
            Path dir,
            int maxRecords,
            long maxBytes,
            long maxAgeMillis,
            Fsync fsync,
            long fsyncIntervalMillis,
            Clock clock)
            throws IOException {
        SegmentOutbox outbox =
                new SegmentOutbox(dir, maxRecords, maxBytes, maxAgeMillis, fsync, fsyncIntervalMillis, clock);
        outbox.recover();
        return outbox;
    }

    /** Segments moved aside since this outbox was opened. */
    @Override
    public long quarantined() {
        return quarantined.get();
    }

    /** fsync calls so far. */
    public long fsyncs() {
        return fsyncs.get();
    }

    /** Bytes of the segment files, dead records and tombstones included. */
    public long diskBytes() {
        return diskBytes;
    }

    // ---- start-up ---------------------------------------------------------------------------

    private void recover() throws IOException {
        Files.createDirectories(dir);
        List<Long> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Long id = segmentId(file);
                if (id != null && Files.isRegularFile(file)) {
                    ids.add(id);
                }
            }
        }
        ids.sort(null);
        List<Slot> salvaged = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            Path path = dir.resolve(name(id));
            boolean last = i == ids.size() - 1;
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(path);
            } catch (IOException e) {
                quarantine(path, "unreadable: " + e.getMessage(), 0);
                continue;
            }
            if (bytes.length == 0) {
                Files.deleteIfExists(path); // Created, never written: nothing to keep.
                continue;
            }
            SegmentScan scan = SegmentScan.of(bytes, last);
            if (scan.end == SegmentScan.End.CORRUPT) {
                for (SegmentScan.Found found : scan.records) {
                    replay(
                            found,
                            new Salvaged(Arrays.copyOfRange(
                                    bytes, (int) found.offset(), (int) found.offset() + found.length())),
                            salvaged);
                }
                quarantine(path, scan.problem, scan.records.size());
                continue;
            }
            if (scan.end == SegmentScan.End.TORN_TAIL) {
                logger.warn(
                        "outbox segment {}: torn tail ({}); cut {} bytes, {} records kept",
                        path.getFileName(),
                        scan.problem,
                        bytes.length - scan.validEnd,
                        scan.records.size());
            }
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (scan.end == SegmentScan.End.TORN_TAIL) {
                channel.truncate(scan.validEnd);
                channel.force(false);
            }
            Segment segment = new Segment(id, path, channel, scan.validEnd);
            segments.put(id, segment);
            diskBytes += segment.size;
            for (SegmentScan.Found found : scan.records) {
                replay(found, new Location(segment, found.offset(), found.length()), salvaged);
            }
        }
        Map.Entry<Long, Segment> newest = segments.lastEntry();
        if (newest != null
                && newest.getKey().equals(ids.isEmpty() ? null : ids.get(ids.size() - 1))
                && newest.getValue().size < segmentBytes) {
            active = newest.getValue();
        } else {
            active = create(ids.isEmpty() ? 1 : ids.get(ids.size() - 1) + 1);
        }
        // Only the salvaged records still kept: a copy of a dropped or acked one would come back.
        for (Slot slot : slots()) {
            if (slot.where instanceof Salvaged copy) {
                slot.where = write(ByteBuffer.wrap(copy.frame()));
            }
        }
        for (Slot slot : slots()) {
            ((Location) slot.where).segment().live++;
        }
        if (!salvaged.isEmpty()) {
            force();
        }
        reclaim();
        restored();
        if (size() > 0) {
            logger.info("outbox {}: {} records ({} bytes) recovered", dir, size(), bytes());
        }
    }

    private void replay(SegmentScan.Found found, Object where, List<Slot> salvaged) {
        ByteBuffer body = ByteBuffer.wrap(found.body());
        switch (body.get()) {
            case RecordCodec.APPEND -> {
                long ordinal = body.getLong();
                long bootId = body.getLong();
                long seq = body.getLong();
                long appendedAt = body.getLong();
                Priority priority = Priority.values()[body.get()];
                Slot slot = new Slot(ordinal, bootId, seq, appendedAt, priority, found.length(), where);
                restore(slot);
                if (where instanceof Salvaged) {
                    salvaged.add(slot);
                }
            }
            case RecordCodec.DROP -> restoreDrop(body.getLong());
            case RecordCodec.ACK -> restoreAck(body.getLong(), body.getLong());
            default -> throw new IllegalStateException("scan let through record type " + found.body()[0]);
        }
    }

    private void quarantine(Path path, String problem, int salvaged) {
        quarantined.incrementAndGet();
        Path target = quarantineDir.resolve(path.getFileName() + "." + clock.millis() + ".corrupt");
        try {
            Files.createDirectories(quarantineDir);
            Files.move(path, target, StandardCopyOption.REPLACE_EXISTING);
            logger.warn(
                    "outbox segment {} is corrupt ({}): moved to {}, {} records before the damage salvaged",
                    path.getFileName(),
                    problem,
                    target,
                    salvaged);
        } catch (IOException e) {
            logger.error(
                    "outbox segment {} is corrupt ({}) and cannot be moved to {}: {}; ignored",
                    path.getFileName(),
                    problem,
                    quarantineDir,
                    e.toString());
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // It stays; the next start finds it corrupt again and tries again.
            }
        }
    }

    // ---- writing ---------------------------------------------------------------------------

    @Override
    Object store(Slot slot, byte kind, byte[] payload) throws IOException {
        Location location = write(RecordCodec.append(
                slot.ordinal, slot.bootId, slot.seq, slot.appendedAtMillis, slot.priority, kind, payload));
        location.segment().live++;
        // A result or a status change is forced at once under "interval" too: they are few, and
        // they are what a power loss must not take.
        if (fsync == Fsync.ALWAYS || (fsync == Fsync.INTERVAL && slot.priority == Priority.HIGH)) {
            force();
        } else {
            syncIfDue();
        }
        if (diskBytes > compactAbove) {
            compactOldest();
        }
        return location;
    }

    @Override
    Message load(Slot slot) throws IOException {
        Location location = (Location) slot.where;
        ByteBuffer frame = ByteBuffer.allocate(location.length());
        while (frame.hasRemaining()) {
            if (location.segment().channel.read(frame, location.offset() + frame.position()) < 0) {
                throw new IOException("segment " + location.segment().path.getFileName() + " ends early");
            }
        }
        int length = frame.getInt(0);
        byte[] body = Arrays.copyOfRange(frame.array(), RecordCodec.FRAME, frame.capacity());
        if (length != body.length || RecordCodec.crc(body, 0, body.length) != frame.getInt(4)) {
            throw new IOException(
                    "checksum mismatch in " + location.segment().path.getFileName() + " at byte " + location.offset());
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        if (in.get() != RecordCodec.APPEND || in.getLong() != slot.ordinal) {
            throw new IOException(
                    "not the record expected in " + location.segment().path.getFileName());
        }
        byte kind = body[RecordCodec.APPEND_HEADER - 1];
        int from = RecordCodec.APPEND_HEADER;
        return kind == KIND_DATA
                ? Data.parseFrom(ByteBuffer.wrap(body, from, body.length - from))
                : Result.parseFrom(ByteBuffer.wrap(body, from, body.length - from));
    }

    @Override
    void released(Slot slot) {
        if (slot.where instanceof Location location) {
            location.segment().live--;
        }
        slot.where = null;
        try {
            reclaim();
        } catch (IOException e) {
            logger.warn("cannot delete a spent outbox segment: {}", e.toString());
        }
    }

    @Override
    void persistDrop(Slot slot) {
        tombstone(RecordCodec.drop(slot.ordinal));
    }

    @Override
    void persistAck(long bootId, long seq) {
        tombstone(RecordCodec.ack(bootId, seq));
    }

    private void tombstone(ByteBuffer record) {
        try {
            write(record);
        } catch (IOException e) {
            // Without it the record comes back at the next start and is sent again: a duplicate,
            // which the controller drops. Nothing is lost.
            logger.warn("cannot write to the outbox: {}", e.toString());
        }
    }

    @Override
    void sync() {
        syncIfDue();
    }

    private void syncIfDue() {
        if (fsync == Fsync.INTERVAL && dirty && clock.millis() - lastSyncMillis >= fsyncIntervalMillis) {
            try {
                force();
            } catch (IOException e) {
                logger.warn("fsync of the outbox failed: {}", e.toString());
            }
        }
    }

    private void force() throws IOException {
        active.channel.force(false);
        fsyncs.incrementAndGet();
        dirty = false;
        lastSyncMillis = clock.millis();
    }

    /** Appends one whole record to the active segment, rotating first when it is full. */
    private Location write(ByteBuffer record) throws IOException {
        if (active.size + record.remaining() > segmentBytes && active.size > RecordCodec.MAGIC.length) {
            if (fsync != Fsync.NEVER) {
                force();
            }
            active = create(active.id + 1);
        }
        long offset = active.size;
        int length = record.remaining();
        long at = offset;
        while (record.hasRemaining()) {
            at += active.channel.write(record, at);
        }
        active.size += length;
        diskBytes += length;
        dirty = true;
        return new Location(active, offset, length);
    }

    private Segment create(long id) throws IOException {
        Path path = dir.resolve(name(id));
        FileChannel channel =
                FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(RecordCodec.MAGIC), 0);
        Segment segment = new Segment(id, path, channel, RecordCodec.MAGIC.length);
        segments.put(id, segment);
        diskBytes += segment.size;
        if (fsync != Fsync.NEVER) {
            channel.force(false);
            forceDirectory();
        }
        return segment;
    }

    /** Deletes the oldest segments while none of their records is kept. */
    private void reclaim() throws IOException {
        while (segments.size() > 1) {
            Segment oldest = segments.firstEntry().getValue();
            if (oldest == active || oldest.live > 0) {
                return;
            }
            delete(oldest);
        }
    }

    /** Copies the oldest segment's kept records to the active one, forces them, then unlinks it. */
    private void compactOldest() throws IOException {
        Segment oldest = segments.firstEntry().getValue();
        if (oldest == active) {
            return;
        }
        for (Slot slot : slots()) {
            if (slot.where instanceof Location location && location.segment() == oldest) {
                ByteBuffer frame = ByteBuffer.allocate(location.length());
                while (frame.hasRemaining()) {
                    if (oldest.channel.read(frame, location.offset() + frame.position()) < 0) {
                        break;
                    }
                }
                frame.flip();
                Location copy = write(frame);
                copy.segment().live++;
                oldest.live--;
                slot.where = copy;
            }
        }
        force(); // The copies are on disk before the only other copy goes (Vector #25570).
        delete(oldest);
    }

    private void delete(Segment segment) throws IOException {
        segments.remove(segment.id);
        diskBytes -= segment.size;
        segment.channel.close();
        Files.deleteIfExists(segment.path);
    }

    private void forceDirectory() {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            logger.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (fsync != Fsync.NEVER && dirty) {
                force();
            }
        } catch (IOException e) {
            logger.warn("final fsync of the outbox failed: {}", e.toString());
        }
        for (Segment segment : segments.values()) {
            try {
                segment.channel.close();
            } catch (IOException e) {
                logger.debug("closing {}: {}", segment.path, e.toString());
            }
        }
    }

    static String name(long id) {
        return String.format("%016d%s", id, SUFFIX);
    }

    private static Long segmentId(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX) || name.length() != 16 + SUFFIX.length()) {
            return null;
        }
        try {
            return Long.parseLong(name.substring(0, 16));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
