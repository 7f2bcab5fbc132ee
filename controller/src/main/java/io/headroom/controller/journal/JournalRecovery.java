package io.headroom.controller.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link Journal#open} does before the first append: finds the newest generation, replays it,
 * and repairs what a crash or the disk left, never refusing to start over damage.
 *
 * <ul>
 *   <li>Temporary files of an interrupted compaction are deleted: the generation they would have
 *       replaced is still whole.
 *   <li>Older generations beside the newest are what a compaction interrupted after its rename left:
 *       deleted (the newest holds everything live), or, when the newest is damaged, moved aside as
 *       {@code *.damaged} for a human.
 *   <li>A torn tail is cut off in place (counted as {@code kind=torn-tail}, one WARN line).
 *   <li>Damage (a bad header, a bad record with good ones after it): the records before it are kept,
 *       the file is copied aside as {@code *.damaged}, and the kept records are rewritten as the next
 *       generation. Sequence numbers go on past the highest found anywhere in the damaged file, so no
 *       number is given twice. Counted as {@code kind=damaged}, one ERROR line that says how many
 *       well-formed records after the damage are not replayed.
 * </ul>
 */
final class JournalRecovery {

    /** The recovered journal, ready for appends. */
    record Result(List<JournalRecord> records, long generation, FileChannel channel, long size, long nextSeq) {}

    private final Logger logger = LoggerFactory.getLogger(Journal.class);
    private final JournalFiles files;
    private final JournalSettings settings;
    private final JournalMetrics metrics;

    JournalRecovery(JournalFiles files, JournalSettings settings, JournalMetrics metrics) {
        this.files = files;
        this.settings = settings;
        this.metrics = metrics;
    }

    Result recover() throws IOException {
        for (String removed : files.removeTemporaries()) {
            logger.info("journal {}: removed {}, left by a compaction that did not finish", files.dir(), removed);
        }
        List<Long> generations = files.generations();
        if (generations.isEmpty()) {
            Path created = files.writeGeneration(1, 1, ByteBuffer.allocate(0), this::force, step -> {});
            logger.info("journal {}: created {}", files.dir(), created.getFileName());
            return open(List.of(), 1, created, 1);
        }
        long newest = generations.get(0);
        Path file = files.generation(newest);
        JournalScan scan;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = in.size();
            if (length > Integer.MAX_VALUE) {
                throw new IOException("journal " + file + " is " + length
                        + " bytes, more than one journal file may hold (2 GiB): was it ever compacted?");
            }
            MappedByteBuffer bytes = in.map(FileChannel.MapMode.READ_ONLY, 0, length);
            scan = JournalScan.of(bytes, settings.maxRecordSize().bytes());
        }
        for (long older : generations.subList(1, generations.size())) {
            Path old = files.generation(older);
            if (scan.end == JournalScan.End.DAMAGED) {
                logger.warn("journal {}: moved {} aside as {}", files.dir(), old.getFileName(), files.moveAside(old));
            } else {
                files.deleteSuperseded(old);
                logger.info(
                        "journal {}: removed {}, superseded by {} (a compaction was interrupted after its rename)",
                        files.dir(),
                        old.getFileName(),
                        file.getFileName());
            }
        }
        long nextSeq = Math.max(Math.max(scan.headerNextSeq, scan.maxSeq + 1), 1);
        switch (scan.end) {
            case CLEAN:
                return open(scan.records, newest, file, nextSeq);
            case TORN_TAIL:
                try (FileChannel out = JournalFiles.openForAppend(file)) {
                    long cut = out.size() - scan.validEnd;
                    out.truncate(scan.validEnd);
                    out.force(false);
                    metrics.tornTail.increment();
                    logger.warn(
                            "journal {}: torn tail at byte {} ({}); cut {} bytes, kept {} records",
                            file,
                            scan.validEnd,
                            scan.problem,
                            cut,
                            scan.records.size());
                }
                return open(scan.records, newest, file, nextSeq);
            case DAMAGED:
            default:
                return salvage(file, newest, scan, nextSeq);
        }
    }

    private Result salvage(Path file, long generation, JournalScan scan, long nextSeq) throws IOException {
        Path copy = files.copyAside(file);
        ByteBuffer kept;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            int start = Math.min(scan.validEnd, JournalCodec.HEADER);
            kept = ByteBuffer.allocate(Math.max(0, scan.validEnd - start));
            while (kept.hasRemaining()) {
                if (in.read(kept, start + kept.position()) < 0) {
                    throw new IOException("journal " + file + ": shrank while it was being read");
                }
            }
            kept.flip();
        }
        Path next = files.writeGeneration(generation + 1, nextSeq, kept, this::force, step -> {});
        files.deleteSuperseded(file);
        metrics.damaged.increment();
        logger.error(
                "journal {}: damaged: {}; kept the {} records before it, {} well-formed records after it are NOT"
                        + " replayed; the damaged file is kept as {}; continuing in {} from sequence number {}",
                file,
                scan.problem,
                scan.records.size(),
                scan.laterRecords,
                copy.getFileName(),
                next.getFileName(),
                nextSeq);
        return open(scan.records, generation + 1, next, nextSeq);
    }

    private void force(FileChannel channel) throws IOException {
        long begin = System.nanoTime();
        try {
            channel.force(false);
        } finally {
            metrics.fsync.record(System.nanoTime() - begin, TimeUnit.NANOSECONDS);
        }
    }

    private static Result open(List<JournalRecord> records, long generation, Path file, long nextSeq)
            throws IOException {
        FileChannel channel = JournalFiles.openForAppend(file);
        return new Result(records, generation, channel, channel.size(), nextSeq);
    }
}
