package io.headroom.controller.journal;

import static io.headroom.controller.journal.JournalTestSupport.body;
import static io.headroom.controller.journal.JournalTestSupport.clock;
import static io.headroom.controller.journal.JournalTestSupport.journalFile;
import static io.headroom.controller.journal.JournalTestSupport.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.headroom.config.DataSize;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.journal.JournalSettings.Fsync;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Appends, replay, sequence numbers, batches, compaction, limits and meters of {@link Journal}. */
class JournalTest {

    @TempDir
    Path tmp;

    private final SteppableClock clock = clock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private Journal open(Path dir) throws IOException {
        return Journal.open(dir, JournalSettings.defaults(), clock, registry);
    }

    @Test
    void append_thenReopen_replaysEveryRecordWithSeqTypeTimeAndBody() throws Exception {
        Path dir = tmp.resolve("journal");
        try (Journal journal = open(dir)) {
            assertThat(journal.replayed()).isEmpty();
            assertThat(journal.append("grid-event", body(1))).isEqualTo(1);
            clock.advance(Duration.ofMillis(250));
            assertThat(journal.append("intent", TextNode.valueOf("shed rack-7")))
                    .isEqualTo(2);
            assertThat(journal.append("outcome", JsonNodeFactory.instance.nullNode()))
                    .isEqualTo(3);
        }
        try (Journal journal = open(dir)) {
            assertThat(journal.replayed())
                    .containsExactly(
                            new JournalRecord(1, "grid-event", JournalTestSupport.START.toEpochMilli(), body(1)),
                            new JournalRecord(
                                    2,
                                    "intent",
                                    JournalTestSupport.START.toEpochMilli() + 250,
                                    TextNode.valueOf("shed rack-7")),
                            new JournalRecord(
                                    3,
                                    "outcome",
                                    JournalTestSupport.START.toEpochMilli() + 250,
                                    JsonNodeFactory.instance.nullNode()));
            assertThat(journal.nextSeq()).isEqualTo(4);
        }
    }

    @Test
    void open_createsDirectoryOwnerOnly_andOneGenerationFile() throws Exception {
        Path dir = tmp.resolve("a/b/journal");
        try (Journal journal = open(dir)) {
            assertThat(journal.dir()).isEqualTo(dir.toAbsolutePath());
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        assertThat(names(dir)).containsExactly("journal-1.log", "journal.lock");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("journal-1.log"))))
                .isEqualTo("rw-------");
    }

    @Test
    void seq_growsAcrossReopens() throws Exception {
        Path dir = tmp.resolve("journal");
        for (int round = 0; round < 3; round++) {
            try (Journal journal = open(dir)) {
                assertThat(journal.replayed()).hasSize(round * 2);
                assertThat(journal.append("operator", body(round))).isEqualTo(round * 2L + 1);
                assertThat(journal.append("operator", body(round))).isEqualTo(round * 2L + 2);
            }
        }
    }

    @Test
    void appendAll_writesTheBatchWithOneFsync_inOrder() throws Exception {
        Path dir = tmp.resolve("journal");
        try (Journal journal = open(dir)) {
            journal.append("intent", body(0));
            long fsyncsBefore = registry.get("headroom.journal.fsync").timer().count();
            List<JournalEntry> batch = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                batch.add(new JournalEntry(i % 2 == 0 ? "intent" : "grid-event", body(i)));
            }
            assertThat(journal.appendAll(batch)).containsExactly(2L, 3L, 4L, 5L, 6L);
            assertThat(registry.get("headroom.journal.fsync").timer().count()).isEqualTo(fsyncsBefore + 1);
            assertThat(journal.appendAll(List.of())).isEmpty();
            assertThat(registry.get("headroom.journal.appends").counter().count())
                    .isEqualTo(6);
        }
        try (Journal journal = open(dir)) {
            assertThat(journal.replayed())
                    .extracting(JournalRecord::seq, r -> r.body().get("n").asInt())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1L, 0),
                            org.assertj.core.groups.Tuple.tuple(2L, 1),
                            org.assertj.core.groups.Tuple.tuple(3L, 2),
                            org.assertj.core.groups.Tuple.tuple(4L, 3),
                            org.assertj.core.groups.Tuple.tuple(5L, 4),
                            org.assertj.core.groups.Tuple.tuple(6L, 5));
        }
    }

    @Test
    void fsyncNever_appendsWithoutFsync_andStillReplays() throws Exception {
        Path dir = tmp.resolve("journal");
        try (Journal journal = Journal.open(dir, JournalSettings.defaults(Fsync.NEVER), clock, registry)) {
            long fsyncs = registry.get("headroom.journal.fsync").timer().count();
            journal.append("intent", body(1));
            journal.appendAll(List.of(new JournalEntry("intent", body(2)), new JournalEntry("outcome", body(3))));
            assertThat(registry.get("headroom.journal.fsync").timer().count()).isEqualTo(fsyncs);
        }
        try (Journal journal = open(dir)) {
            assertThat(journal.replayed()).extracting(JournalRecord::seq).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void compact_keepsOnlyLiveRecords_andLaterAppendsContinueTheSequence() throws Exception {
        Path dir = tmp.resolve("journal");
        List<JournalRecord> live = new ArrayList<>();
        try (Journal journal = open(dir)) {
            for (int i = 1; i <= 10; i++) {
                journal.append(i % 3 == 0 ? "intent" : "outcome", body(i));
            }
        }
        try (Journal journal = open(dir)) {
            for (JournalRecord record : journal.replayed()) {
                if (record.type().equals("intent")) {
                    live.add(record);
                }
            }
            long before = journal.sizeBytes();
            journal.compact(live);
            assertThat(journal.sizeBytes()).isLessThan(before);
            assertThat(journal.nextSeq()).isEqualTo(11);
            assertThat(journal.append("operator", body(11))).isEqualTo(11);
            assertThat(registry.get("headroom.journal.compactions").counter().count())
                    .isEqualTo(1);
        }
        assertThat(names(dir)).containsExactly("journal-2.log", "journal.lock");
        try (Journal journal = open(dir)) {
            assertThat(journal.replayed()).extracting(JournalRecord::seq).containsExactly(3L, 6L, 9L, 11L);
            assertThat(journal.replayed().subList(0, 3)).isEqualTo(live);
        }
    }

    @Test
    void compact_toNothing_stillContinuesTheSequenceAfterReopen() throws Exception {
        Path dir = tmp.resolve("journal");
        try (Journal journal = open(dir)) {
            journal.append("intent", body(1));
            journal.append("intent", body(2));
            journal.compact(List.of());
            journal.compact(List.of());
        }
        try (Journal journal = open(dir)) {
            assertThat(journal.replayed()).isEmpty();
            assertThat(journal.append("intent", body(3))).isEqualTo(3);
        }
        assertThat(names(dir)).containsExactly("journal-3.log", "journal.lock");
    }

    @Test
    void compact_recordsOutOfOrderOrNotYetGiven_refusedAndNothingChanged() throws Exception {
        Path dir = tmp.resolve("journal");
        try (Journal journal = open(dir)) {
            journal.append("intent", body(1));
            journal.append("intent", body(2));
            JournalRecord one = new JournalRecord(1, "intent", 0, body(1));
            JournalRecord two = new JournalRecord(2, "intent", 0, body(2));
            JournalRecord future = new JournalRecord(3, "intent", 0, body(3));

            assertThatThrownBy(() -> journal.compact(List.of(two, one)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("compact: record 1 is out of order; nothing changed");
            assertThatThrownBy(() -> journal.compact(List.of(one, future)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("compact: record 3 is not in this journal (next is 3); nothing changed");
            assertThat(names(dir)).containsExactly("journal-1.log", "journal.lock");
        }
        try (Journal journal = open(dir)) {
            assertThat(journal.replayed()).hasSize(2);
        }
    }

    @Test
    void append_oversizeRecord_refusedWithItsSize_andNothingWritten() throws Exception {
        Path dir = tmp.resolve("journal");
        JournalSettings small =
                new JournalSettings(Optional.empty(), Fsync.ALWAYS, DataSize.parse("64KiB"), DataSize.parse("1KiB"));
        try (Journal journal = Journal.open(dir, small, clock, registry)) {
            journal.append("intent", body(1));
            long size = journal.sizeBytes();
            TextNode big = TextNode.valueOf("x".repeat(1100));

            assertThatThrownBy(() -> journal.append("intent", big))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("journal record of type 'intent' is 1133 bytes, above journal.max-record-size (1024"
                            + " bytes); nothing written");
            assertThatThrownBy(() -> journal.appendAll(
                            List.of(new JournalEntry("intent", body(2)), new JournalEntry("intent", big))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(journal.sizeBytes()).isEqualTo(size);
            assertThat(Files.size(journalFile(dir))).isEqualTo(size);
            assertThat(journal.append("intent", body(3))).isEqualTo(2);
        }
    }

    @Test
    void entry_badTypeOrMissingBody_refusedNamingTheField() {
        assertThatThrownBy(() -> new JournalEntry("Grid_Event", body(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("type: 'Grid_Event' is not 1 to 32 lowercase letters, digits and dashes starting with a"
                        + " letter");
        assertThatThrownBy(() -> new JournalEntry("x".repeat(33), body(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JournalEntry("intent", JsonNodeFactory.instance.missingNode()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("body: a missing node cannot be journaled");
    }

    @Test
    void open_directoryAlreadyOpen_refusedNamingTheLock() throws Exception {
        Path dir = tmp.resolve("journal");
        try (Journal journal = open(dir)) {
            assertThatThrownBy(() -> open(dir))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("is in use")
                    .hasMessageContaining("journal.lock");
            journal.append("intent", body(1));
        }
        try (Journal journal = open(dir)) {
            assertThat(journal.replayed()).hasSize(1);
        }
    }

    @Test
    void close_isIdempotent_andAppendAfterCloseFails() throws Exception {
        Journal journal = open(tmp.resolve("journal"));
        journal.close();
        journal.close();
        assertThatThrownBy(() -> journal.append("intent", body(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void meters_countAppendsBytesAndSize_andCompactionDueAboveMaxBytes() throws Exception {
        JournalSettings settings =
                new JournalSettings(Optional.empty(), Fsync.ALWAYS, DataSize.parse("64KiB"), DataSize.parse("1KiB"));
        try (Journal journal = Journal.open(tmp.resolve("journal"), settings, clock, registry)) {
            assertThat(journal.sizeBytes()).isEqualTo(JournalCodec.HEADER);
            int appended = 0;
            while (!journal.compactionDue()) {
                journal.append("grid-event", body(appended++));
            }
            assertThat(journal.sizeBytes()).isGreaterThan(64 * 1024);
            assertThat(registry.get("headroom.journal.appends").counter().count())
                    .isEqualTo(appended);
            assertThat(registry.get("headroom.journal.written").counter().count())
                    .isEqualTo(journal.sizeBytes() - JournalCodec.HEADER);
            assertThat(registry.get("headroom.journal.bytes").gauge().value()).isEqualTo(journal.sizeBytes());
            journal.compact(List.of());
            assertThat(journal.compactionDue()).isFalse();
            assertThat(registry.get("headroom.journal.bytes").gauge().value()).isEqualTo(JournalCodec.HEADER);
        }
        assertThat(registry.find("headroom.journal.appends").meters()).isEmpty();
    }

    @Test
    @Timeout(60)
    void appends_fromManyThreads_getUniqueSeqsAndAllReplay() throws Exception {
        Path dir = tmp.resolve("journal");
        int threads = 4;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Long>>> results = new ArrayList<>();
        try (Journal journal = Journal.open(dir, JournalSettings.defaults(Fsync.NEVER), clock, registry)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        seqs.add(journal.append("intent", body(thread * 1000 + i)));
                    }
                    return seqs;
                }));
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> result : results) {
                List<Long> seqs = result.get(30, TimeUnit.SECONDS);
                assertThat(seqs).isSorted();
                all.addAll(seqs);
            }
            assertThat(all).doesNotHaveDuplicates().hasSize(threads * each);
        } finally {
            pool.shutdownNow();
        }
        try (Journal journal = open(dir)) {
            assertThat(journal.replayed())
                    .extracting(JournalRecord::seq)
                    .hasSize(threads * each)
                    .isSorted();
        }
    }
}
