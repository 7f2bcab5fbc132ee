package io.headroom.agent.publish.outbox;

import static io.headroom.agent.publish.outbox.OutboxFixtures.data;
import static io.headroom.agent.publish.outbox.OutboxFixtures.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.config.OutboxSettings.Fsync;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segment log: the outbox contract, plus what a restart finds. "Kill" here is an outbox that is
 * never closed, as after a kill -9: every append returned is already in the file (one write of a
 * whole record, no buffer in the JVM). {@code OutboxKillIT} kills a real process.
 */
class SegmentOutboxTest extends OutboxContractTest {

    @TempDir
    Path dir;

    @Override
    Outbox create(int maxRecords, long maxBytes, long maxAgeMillis) throws IOException {
        return SegmentOutbox.open(dir, maxRecords, maxBytes, maxAgeMillis, Fsync.NEVER, 1000, clock);
    }

    private SegmentOutbox reopen() throws IOException {
        return SegmentOutbox.open(dir, 100_000, 4L << 20, 0, Fsync.NEVER, 1000, clock);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private List<Path> quarantine() throws IOException {
        Path q = dir.resolve("quarantine");
        if (!Files.isDirectory(q)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(q)) {
            return files.toList();
        }
    }

    private static List<Long> seqs(Outbox outbox) {
        return outbox.after(0, Integer.MAX_VALUE).stream()
                .map(Outbox.Entry::seq)
                .toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> seqs = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            seqs.add(s);
        }
        return seqs;
    }

    /** Appends seqs from..to of boot 1, each with {@code samples} samples, and leaves the outbox open (killed). */
    private void killedAfter(long from, long to, int samples) throws IOException {
        SegmentOutbox outbox = SegmentOutbox.open(dir, 100_000, 4L << 20, 0, Fsync.NEVER, 1000, clock);
        for (long seq = from; seq <= to; seq++) {
            outbox.append(data(1, seq, samples));
        }
    }

    @Test
    void killedWithoutClose_everyAppendedRecordIsThereAtTheNextStart_inOrder() throws IOException {
        killedAfter(1, 50, 5);

        try (SegmentOutbox outbox = reopen()) {
            assertThat(seqs(outbox)).containsExactlyElementsOf(range(1, 50));
            assertThat(outbox.after(0, 1).get(0).message()).isEqualTo(data(1, 1, 5));
            assertThat(outbox.quarantined()).isZero();
        }
    }

    @Test
    void acksAndDrops_surviveARestart_nothingAckedComesBack() throws IOException {
        SegmentOutbox first = SegmentOutbox.open(dir, 5, 64L << 20, 0, Fsync.NEVER, 1000, clock);
        first.append(result(1, 1));
        for (long seq = 2; seq <= 8; seq++) {
            first.append(data(1, seq));
        }
        first.ackThrough(1, 1);
        assertThat(seqs(first)).containsExactly(5L, 6L, 7L, 8L);
        // Not closed: killed.

        try (SegmentOutbox outbox = reopen()) {
            assertThat(seqs(outbox)).containsExactly(5L, 6L, 7L, 8L);
            // A new append continues after the recovered ordinals.
            long ordinal = outbox.append(data(2, 1));
            assertThat(ordinal).isGreaterThan(outbox.after(0, 10).get(3).ordinal());
        }
    }

    @Test
    void tornTail_isCutOff_theRecordsBeforeItKept_notQuarantined_andWritingGoesOn() throws IOException {
        killedAfter(1, 20, 5);
        Path segment = segments().get(0);
        long size = Files.size(segment);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(size - 7); // The last record's write was interrupted.
        }

        try (SegmentOutbox outbox = reopen()) {
            assertThat(seqs(outbox)).containsExactlyElementsOf(range(1, 19));
            assertThat(outbox.quarantined()).isZero();
            outbox.append(data(1, 20, 5));
        }
        try (SegmentOutbox outbox = reopen()) {
            assertThat(seqs(outbox)).containsExactlyElementsOf(range(1, 20));
        }
        assertThat(quarantine()).isEmpty();
    }

    @Test
    void zerosAfterTheLastRecord_areATornTail() throws IOException {
        killedAfter(1, 10, 5);
        Path segment = segments().get(0);
        Files.write(segment, new byte[4096], java.nio.file.StandardOpenOption.APPEND);

        try (SegmentOutbox outbox = reopen()) {
            assertThat(seqs(outbox)).containsExactlyElementsOf(range(1, 10));
            assertThat(outbox.quarantined()).isZero();
        }
    }

    @Test
    void zeroFilledSegment_isQuarantined_theOthersLoad_startUpGoesOn() throws IOException {
        // Segments of 256 KiB: 300 records of ~1.3 KiB fill two and start a third.
        killedAfter(1, 600, 100);
        List<Path> segments = segments();
        assertThat(segments).hasSizeGreaterThanOrEqualTo(3);
        Path first = segments.get(0);
        Files.write(first, new byte[(int) Files.size(first)]);

        try (SegmentOutbox outbox = reopen()) {
            List<Long> kept = seqs(outbox);
            assertThat(kept).isNotEmpty().doesNotContain(1L).endsWith(600L);
            assertThat(kept).containsExactlyElementsOf(range(kept.get(0), 600));
            assertThat(outbox.quarantined()).isEqualTo(1);
        }
        assertThat(quarantine()).hasSize(1);
        assertThat(Files.exists(first)).isFalse();
    }

    @Test
    void flippedBitInAnOlderSegment_isCaughtByTheChecksum_recordsBeforeItSalvaged_segmentQuarantined()
            throws IOException {
        killedAfter(1, 600, 100);
        Path first = segments().get(0);
        long middle = Files.size(first) / 2;
        try (RandomAccessFile file = new RandomAccessFile(first.toFile(), "rw")) {
            file.seek(middle);
            int b = file.read();
            file.seek(middle);
            file.write(b ^ 0x10);
        }

        try (SegmentOutbox outbox = reopen()) {
            List<Long> kept = seqs(outbox);
            assertThat(outbox.quarantined()).isEqualTo(1);
            assertThat(kept).startsWith(1L).endsWith(600L);
            // Exactly one run is missing: the damaged record and the rest of its segment.
            int missing = 600 - kept.size();
            assertThat(missing).isPositive();
            long firstMissing = range(1, 600).stream()
                    .filter(s -> !kept.contains(s))
                    .findFirst()
                    .orElseThrow();
            assertThat(kept).doesNotContainAnyElementsOf(range(firstMissing, firstMissing + missing - 1));
        }
        try (SegmentOutbox outbox = reopen()) {
            // The salvaged records were rewritten: a second start finds the same, quarantines nothing.
            assertThat(outbox.quarantined()).isZero();
            assertThat(seqs(outbox)).startsWith(1L).endsWith(600L);
        }
    }

    @Test
    void flippedBitInTheLastSegmentsMiddle_isCorruption_notATornTail() throws IOException {
        killedAfter(1, 20, 5);
        Path segment = segments().get(0);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(Files.size(segment) / 2);
            file.write(0xFF);
            file.write(0x00);
        }

        try (SegmentOutbox outbox = reopen()) {
            List<Long> kept = seqs(outbox);
            assertThat(outbox.quarantined()).isEqualTo(1);
            assertThat(kept).startsWith(1L).hasSizeLessThan(20);
            assertThat(kept).containsExactlyElementsOf(range(1, kept.size()));
        }
    }

    @Test
    void notASegmentAtAll_isQuarantined() throws IOException {
        killedAfter(1, 3, 5);
        Files.write(dir.resolve("0000000000000009.seg"), "garbage, not a segment".getBytes());

        try (SegmentOutbox outbox = reopen()) {
            assertThat(seqs(outbox)).containsExactly(1L, 2L, 3L);
            assertThat(outbox.quarantined()).isEqualTo(1);
        }
    }

    @Test
    void segmentsRotate_andAreDeletedOnceEverythingInThemIsAcked() throws IOException {
        try (SegmentOutbox outbox = SegmentOutbox.open(dir, 100_000, 4L << 20, 0, Fsync.INTERVAL, 1000, clock)) {
            for (long seq = 1; seq <= 600; seq++) {
                outbox.append(data(1, seq, 100));
            }
            assertThat(segments()).hasSizeGreaterThanOrEqualTo(3);

            outbox.ackThrough(1, 600);

            assertThat(segments()).hasSize(1);
            assertThat(outbox.size()).isZero();
        }
        try (SegmentOutbox outbox = reopen()) {
            assertThat(outbox.size()).isZero();
        }
    }

    @Test
    void anOldResultPinningASegment_isCompactedForward_diskStaysBounded_resultSurvives() throws IOException {
        long maxBytes = 1L << 20;
        try (SegmentOutbox outbox = SegmentOutbox.open(dir, 100_000, maxBytes, 0, Fsync.INTERVAL, 1000, clock)) {
            outbox.append(result(1, 1));
            for (long seq = 2; seq <= 3000; seq++) {
                outbox.append(data(1, seq, 100));
                assertThat(outbox.diskBytes()).isLessThanOrEqualTo(maxBytes + 3 * (256L << 10));
            }
            assertThat(outbox.bytes()).isLessThanOrEqualTo(maxBytes);
            assertThat(outbox.dropped(DropReason.MAX_BYTES)).isPositive();
        }
        try (SegmentOutbox outbox = reopen()) {
            List<Long> kept = seqs(outbox);
            assertThat(kept).first().isEqualTo(1L);
            assertThat(kept).endsWith(3000L);
            assertThat(kept.subList(1, kept.size())).containsExactlyElementsOf(range(kept.get(1), 3000));
        }
    }

    @Test
    void fsyncAlways_forcesEveryAppend_interval_atMostOncePerInterval() throws IOException {
        try (SegmentOutbox always =
                SegmentOutbox.open(dir.resolve("a"), 1000, 64L << 20, 0, Fsync.ALWAYS, 1000, clock)) {
            long before = always.fsyncs();
            for (long seq = 1; seq <= 10; seq++) {
                always.append(data(1, seq));
            }
            assertThat(always.fsyncs() - before).isEqualTo(10);
        }
        try (SegmentOutbox interval =
                SegmentOutbox.open(dir.resolve("i"), 1000, 64L << 20, 0, Fsync.INTERVAL, 1000, clock)) {
            long before = interval.fsyncs();
            for (long seq = 1; seq <= 10; seq++) {
                interval.append(data(1, seq));
                clock.advance(java.time.Duration.ofMillis(250));
                interval.tick();
            }
            // 2.5 s of appends with a 1 s interval: a force at 1 s and at 2 s (plus the first, due at once).
            assertThat(interval.fsyncs() - before).isBetween(2L, 3L);
        }
    }
}
