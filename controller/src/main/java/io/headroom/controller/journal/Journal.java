package io.headroom.controller.journal;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.journal.JournalSettings.Fsync;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The controller's durable journal: an append-only log of {@link JournalRecord}s in one file,
 * {@code <dir>/journal-<generation>.log}, that {@link #compact} rewrites as the next generation
 * ({@code docs/journal.md}, D22).
 *
 * <p>What {@link #append} or {@link #appendAll} returned survives a kill -9 at once: the record was
 * written with one {@code write} call, so it is in the kernel's page cache. With {@link Fsync#ALWAYS} it
 * was also forced to the disk (one {@code fsync} per call, however many records), so it survives a
 * power loss too. {@link #open} replays the file, cuts a torn tail, and never fails on damage it
 * finds (see {@link JournalRecovery}).
 *
 * <p>Thread-safe: every method may be called from any thread; appends are serialised. After an
 * {@code fsync} fails, or a compaction fails past its rename, the journal refuses further writes
 * with an {@link IOException} (what reached the disk is no longer known): reopen it.
 */
public final class Journal implements AutoCloseable {

    /** The steps of a compaction a test may interrupt, as a crash would. */
    enum Step {
        /** The new generation is written and forced, under its temporary name. */
        TEMP_WRITTEN,
        /** The new generation has its name; the old one still exists. */
        RENAMED
    }

    /** Called at each {@link Step}; a test throws from it to simulate a crash there. */
    interface StepHook {
        void at(Step step) throws IOException;
    }

    private final JournalFiles files;
    private final JournalSettings settings;
    private final Clock clock;
    private final JournalMetrics metrics;
    private final List<JournalRecord> replayed;
    private StepHook hook = step -> {};
    private long generation;
    private FileChannel channel;
    private volatile long size;
    private long nextSeq;
    private boolean closed;
    private @Nullable String failure;

    private Journal(JournalFiles files, JournalSettings settings, Clock clock, MeterRegistry registry)
            throws IOException {
        this.files = files;
        this.settings = settings;
        this.clock = clock;
        this.metrics = new JournalMetrics(registry, this, Journal::sizeBytes);
        JournalRecovery.Result recovered;
        try {
            recovered = new JournalRecovery(files, settings, metrics).recover();
        } catch (IOException | RuntimeException e) {
            metrics.remove();
            throw e;
        }
        this.replayed = List.copyOf(recovered.records());
        this.generation = recovered.generation();
        this.channel = recovered.channel();
        this.size = recovered.size();
        this.nextSeq = recovered.nextSeq();
    }

    /**
     * Opens the journal in {@code dir}, creating the directory (mode 0700) if needed and recovering
     * what an earlier run left: a torn tail is cut off, a damaged file is copied aside as
     * {@code *.damaged} after the records before the damage are kept (both counted in
     * {@code headroom.journal.corrupt} and logged once).
     *
     * @throws IOException only if {@code dir} cannot be created, locked, listed, read or written, or
     *     another process holds it
     */
    public static Journal open(Path dir, JournalSettings settings, Clock clock, MeterRegistry registry)
            throws IOException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(registry, "registry");
        JournalFiles files = JournalFiles.lock(dir);
        try {
            return new Journal(files, settings, clock, registry);
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /** What was in the journal when it was opened, in sequence order. */
    public List<JournalRecord> replayed() {
        return replayed;
    }

    /**
     * Appends one record, durable per {@link JournalSettings#fsync()} when this returns.
     *
     * @return its sequence number
     * @throws IllegalArgumentException if the type is not valid or the record is larger than
     *     {@link JournalSettings#maxRecordSize()}; nothing is written
     * @throws IOException if the write or its fsync failed
     */
    public long append(String type, JsonNode body) throws IOException {
        return appendAll(List.of(new JournalEntry(type, body))).get(0);
    }

    /**
     * Appends {@code entries} in order with one write and (with fsync always) one fsync: all of them
     * or, when this throws, none that a later {@link #open} replays as acknowledged. A crash during
     * the call may leave a prefix of them, which the next open replays.
     *
     * @return their sequence numbers, in order
     * @throws IllegalArgumentException if any record is larger than {@link JournalSettings#maxRecordSize()};
     *     nothing is written
     */
    public synchronized List<Long> appendAll(List<JournalEntry> entries) throws IOException {
        checkWritable();
        if (entries.isEmpty()) {
            return List.of();
        }
        List<byte[]> jsons = new ArrayList<>(entries.size());
        long total = 0;
        for (JournalEntry entry : entries) {
            byte[] json = JournalCodec.json(entry.body());
            long frame = JournalCodec.frameSize(entry.type(), json);
            if (frame > settings.maxRecordSize().bytes()) {
                throw new IllegalArgumentException("journal record of type '" + entry.type() + "' is " + frame
                        + " bytes, above journal.max-record-size ("
                        + settings.maxRecordSize().bytes()
                        + " bytes); nothing written");
            }
            jsons.add(json);
            total += frame;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("journal batch of " + entries.size() + " records is " + total
                    + " bytes, too large for one write; nothing written");
        }
        long at = clock.millis();
        ByteBuffer out = ByteBuffer.allocate((int) total);
        List<Long> seqs = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            long seq = nextSeq + i;
            JournalCodec.frame(out, seq, at, entries.get(i).type(), jsons.get(i));
            seqs.add(seq);
        }
        out.flip();
        long start = size;
        try {
            while (out.hasRemaining()) {
                channel.write(out, start + out.position());
            }
        } catch (IOException e) {
            undo(start, e);
            throw new IOException(
                    "journal " + files.generation(generation) + ": append failed at byte " + start + ": "
                            + e.getMessage(),
                    e);
        }
        if (settings.fsync() == Fsync.ALWAYS) {
            try {
                force(channel);
            } catch (IOException e) {
                // After a failed fsync the kernel may have dropped the dirty pages: nothing is known.
                failure = "fsync failed: " + e.getMessage();
                throw new IOException("journal " + files.generation(generation) + ": " + failure, e);
            }
        }
        nextSeq += entries.size();
        size = start + total;
        metrics.appends.increment(entries.size());
        metrics.written.increment(total);
        return List.copyOf(seqs);
    }

    /**
     * Rewrites the journal to only {@code live}, as the next generation: written under a temporary
     * name, forced, renamed over, the directory forced, then the old generation deleted. A crash at
     * any point leaves either the old journal or the new one, whole. Sequence numbers go on from
     * where they were, whatever {@code live} holds.
     *
     * @param live records this journal replayed or appended, in sequence order
     * @throws IllegalArgumentException if {@code live} is out of order or holds a sequence number this
     *     journal has not given yet; nothing is changed
     * @throws IOException if writing the new generation failed; before its rename the old journal
     *     stays in use, after it the journal refuses further writes (reopen it)
     */
    public synchronized void compact(List<JournalRecord> live) throws IOException {
        checkWritable();
        long previous = 0;
        long total = 0;
        List<byte[]> jsons = new ArrayList<>(live.size());
        for (JournalRecord record : live) {
            if (record.seq() <= previous || record.seq() >= nextSeq) {
                throw new IllegalArgumentException("compact: record " + record.seq() + " is "
                        + (record.seq() >= nextSeq ? "not in this journal (next is " + nextSeq + ")" : "out of order")
                        + "; nothing changed");
            }
            previous = record.seq();
            byte[] json = JournalCodec.json(record.body());
            total += JournalCodec.frameSize(record.type(), json);
            jsons.add(json);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("compact: " + total + " bytes of live records; nothing changed");
        }
        ByteBuffer frames = ByteBuffer.allocate((int) total);
        for (int i = 0; i < live.size(); i++) {
            JournalRecord record = live.get(i);
            JournalCodec.frame(frames, record.seq(), record.atMillis(), record.type(), jsons.get(i));
        }
        frames.flip();
        long next = generation + 1;
        Path written = files.writeGeneration(next, nextSeq, frames, this::force, hook);
        try {
            FileChannel reopened = JournalFiles.openForAppend(written);
            FileChannel old = channel;
            Path oldFile = files.generation(generation);
            channel = reopened;
            generation = next;
            size = reopened.size();
            old.close();
            hook.at(Step.RENAMED);
            files.deleteSuperseded(oldFile);
        } catch (IOException e) {
            failure = "compaction to " + written.getFileName() + " failed after its rename: " + e.getMessage();
            throw new IOException("journal " + failure, e);
        }
        metrics.compactions.increment();
    }

    /** Size of the journal file in bytes, header included. */
    public long sizeBytes() {
        return size;
    }

    /** True when the file is larger than {@link JournalSettings#maxBytes()}: time to {@link #compact}. */
    public boolean compactionDue() {
        return size > settings.maxBytes().bytes();
    }

    /** The sequence number the next append gets. */
    public synchronized long nextSeq() {
        return nextSeq;
    }

    /** The journal's directory. */
    public Path dir() {
        return files.dir();
    }

    /** Closes the file and releases the directory's lock; idempotent. Writes nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        metrics.remove();
        try {
            channel.close();
        } finally {
            files.close();
        }
    }

    /** Test hook: called at each step of {@link #compact}. */
    synchronized void onStep(StepHook hook) {
        this.hook = hook;
    }

    private void checkWritable() throws IOException {
        if (closed) {
            throw new IllegalStateException("journal " + files.dir() + " is closed");
        }
        if (failure != null) {
            throw new IOException("journal " + files.dir() + " refuses writes since " + failure + "; reopen it");
        }
    }

    /** Cuts a failed write back off, or, if that fails too, refuses further writes. */
    private void undo(long start, IOException cause) {
        try {
            channel.truncate(start);
        } catch (IOException e) {
            cause.addSuppressed(e);
            failure = "a failed append could not be cut off at byte " + start + ": " + e.getMessage();
        }
    }

    private void force(FileChannel target) throws IOException {
        long begin = System.nanoTime();
        try {
            target.force(false);
        } finally {
            metrics.fsync.record(System.nanoTime() - begin, TimeUnit.NANOSECONDS);
        }
    }
}
