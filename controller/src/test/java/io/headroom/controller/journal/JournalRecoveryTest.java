package io.headroom.controller.journal;

import static io.headroom.controller.journal.JournalTestSupport.body;
import static io.headroom.controller.journal.JournalTestSupport.clock;
import static io.headroom.controller.journal.JournalTestSupport.corrupt;
import static io.headroom.controller.journal.JournalTestSupport.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.controller.journal.JournalSettings.Fsync;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Journal#open} finds after a crash or on a damaged disk: torn tails at every byte,
 * flipped bits, files that are not journals, compactions interrupted at each step.
 */
class JournalRecoveryTest {

    @TempDir
    Path tmp;

    /** A journal of three records, and where each record's frame starts and ends. */
    private byte[] original;

    private final long[] recordStart = new long[4];

    @BeforeEach
    void writeThreeRecords() throws Exception {
        Path dir = tmp.resolve("source");
        try (Journal journal = Journal.open(dir, JournalSettings.defaults(), clock(), new SimpleMeterRegistry())) {
            for (int i = 1; i <= 3; i++) {
                recordStart[i - 1] = journal.sizeBytes();
                journal.append("intent", body(i));
            }
            recordStart[3] = journal.sizeBytes();
        }
        original = Files.readAllBytes(dir.resolve("journal-1.log"));
        assertThat((long) original.length).isEqualTo(recordStart[3]);
    }

    /** A fresh directory holding {@code bytes} as {@code journal-1.log}. */
    private Path dirWith(String name, byte[] bytes) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.write(dir.resolve("journal-1.log"), bytes);
        return dir;
    }

    private static Journal open(Path dir, SimpleMeterRegistry registry) throws IOException {
        return Journal.open(dir, JournalSettings.defaults(Fsync.NEVER), clock(), registry);
    }

    private static List<Long> seqs(Journal journal) {
        return journal.replayed().stream().map(JournalRecord::seq).toList();
    }

    @Test
    void tornTail_atEveryByteOfTheLastRecord_keepsEarlierRecordsAndCountsOnce() throws Exception {
        int from = (int) recordStart[2];
        for (int cut = from + 1; cut < original.length; cut++) {
            Path dir = dirWith("cut-" + cut, Arrays.copyOf(original, cut));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Journal journal = open(dir, registry)) {
                assertThat(seqs(journal)).as("cut at %d", cut).containsExactly(1L, 2L);
                assertThat(corrupt(registry, "torn-tail")).as("cut at %d", cut).isEqualTo(1);
                assertThat(corrupt(registry, "damaged")).as("cut at %d", cut).isZero();
                assertThat(Files.size(dir.resolve("journal-1.log"))).isEqualTo(from);
                assertThat(journal.append("outcome", body(30)))
                        .as("cut at %d", cut)
                        .isEqualTo(3);
            }
            SimpleMeterRegistry again = new SimpleMeterRegistry();
            try (Journal journal = open(dir, again)) {
                assertThat(seqs(journal)).as("cut at %d", cut).containsExactly(1L, 2L, 3L);
                assertThat(journal.replayed().get(2).type()).isEqualTo("outcome");
                assertThat(corrupt(again, "torn-tail")).isZero();
            }
            assertThat(names(dir)).as("cut at %d", cut).containsExactly("journal-1.log", "journal.lock");
        }
    }

    @Test
    void cutAtARecordBoundary_isClean() throws Exception {
        Path dir = dirWith("boundary", Arrays.copyOf(original, (int) recordStart[2]));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Journal journal = open(dir, registry)) {
            assertThat(seqs(journal)).containsExactly(1L, 2L);
            assertThat(corrupt(registry, "torn-tail") + corrupt(registry, "damaged"))
                    .isZero();
        }
    }

    @Test
    void zeroFilledTail_isATornTail() throws Exception {
        byte[] zeros = Arrays.copyOf(original, original.length + 4096);
        Path dir = dirWith("zeros", zeros);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Journal journal = open(dir, registry)) {
            assertThat(seqs(journal)).containsExactly(1L, 2L, 3L);
            assertThat(corrupt(registry, "torn-tail")).isEqualTo(1);
            assertThat(journal.append("intent", body(4))).isEqualTo(4);
        }
    }

    @Test
    void flippedBit_inEveryByteOfTheMiddleRecord_keepsTheRecordsBefore_copiesTheFileAside_andCountsDamage()
            throws Exception {
        for (int at = (int) recordStart[1]; at < recordStart[2]; at++) {
            byte[] flipped = original.clone();
            flipped[at] ^= 0x10;
            Path dir = dirWith("flip-" + at, flipped);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Journal journal = open(dir, registry)) {
                assertThat(seqs(journal)).as("flip at %d", at).containsExactly(1L);
                assertThat(corrupt(registry, "damaged")).as("flip at %d", at).isEqualTo(1);
                assertThat(corrupt(registry, "torn-tail")).as("flip at %d", at).isZero();
                // Record 3 was found after the damage: its number is not given again.
                assertThat(journal.append("outcome", body(40)))
                        .as("flip at %d", at)
                        .isEqualTo(4);
            }
            assertThat(names(dir))
                    .as("flip at %d", at)
                    .containsExactly("journal-1.log.damaged", "journal-2.log", "journal.lock");
            assertThat(Files.readAllBytes(dir.resolve("journal-1.log.damaged"))).isEqualTo(flipped);
            SimpleMeterRegistry again = new SimpleMeterRegistry();
            try (Journal journal = open(dir, again)) {
                assertThat(seqs(journal)).as("flip at %d", at).containsExactly(1L, 4L);
                assertThat(corrupt(again, "damaged")).isZero();
            }
        }
    }

    @Test
    void flippedBit_inTheLastRecord_isATornTail() throws Exception {
        byte[] flipped = original.clone();
        flipped[original.length - 3] ^= 0x01;
        Path dir = dirWith("flip-last", flipped);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Journal journal = open(dir, registry)) {
            // A final record failing its checksum cannot be told from an interrupted write.
            assertThat(seqs(journal)).containsExactly(1L, 2L);
            assertThat(corrupt(registry, "torn-tail")).isEqualTo(1);
        }
    }

    @Test
    void damagedTwice_keepsBothCopies() throws Exception {
        byte[] flipped = original.clone();
        flipped[(int) recordStart[1] + 20] ^= 0x01;
        Path dir = dirWith("twice", flipped);
        try (Journal journal = open(dir, new SimpleMeterRegistry())) {
            assertThat(seqs(journal)).containsExactly(1L);
        }
        Files.move(dir.resolve("journal-2.log"), dir.resolve("journal-1.log"));
        Files.write(dir.resolve("journal-1.log"), flipped);
        try (Journal journal = open(dir, new SimpleMeterRegistry())) {
            assertThat(seqs(journal)).containsExactly(1L);
        }
        assertThat(names(dir))
                .containsExactly("journal-1.log.2.damaged", "journal-1.log.damaged", "journal-2.log", "journal.lock");
    }

    @Test
    void randomBytes_notAJournal_movedAsideAndStartsEmpty() throws Exception {
        byte[] random = new byte[64 * 1024];
        new Random(22).nextBytes(random);
        assertStartsEmptyAfterDamage(dirWith("random", random), random);
    }

    @Test
    void textFile_notAJournal_movedAsideAndStartsEmpty() throws Exception {
        byte[] text = "site: demo\ncontroller-id: c1\n".getBytes(StandardCharsets.UTF_8);
        assertStartsEmptyAfterDamage(dirWith("text", text), text);
    }

    @Test
    void zeroLengthFile_movedAsideAndStartsEmpty() throws Exception {
        assertStartsEmptyAfterDamage(dirWith("empty", new byte[0]), new byte[0]);
    }

    @Test
    void zeroFilledFile_movedAsideAndStartsEmpty() throws Exception {
        assertStartsEmptyAfterDamage(dirWith("zeroed", new byte[8192]), new byte[8192]);
    }

    @Test
    void badHeader_goodRecords_notReplayedButTheSequenceGoesOnPastThem() throws Exception {
        byte[] flipped = original.clone();
        flipped[9] ^= 0x01; // inside next_seq: the header's checksum fails
        Path dir = dirWith("header", flipped);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Journal journal = open(dir, registry)) {
            assertThat(journal.replayed()).isEmpty();
            assertThat(corrupt(registry, "damaged")).isEqualTo(1);
            assertThat(journal.append("intent", body(4))).isEqualTo(4);
        }
    }

    private void assertStartsEmptyAfterDamage(Path dir, byte[] bytes) throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Journal journal = open(dir, registry)) {
            assertThat(journal.replayed()).isEmpty();
            assertThat(corrupt(registry, "damaged")).isEqualTo(1);
            assertThat(journal.append("intent", body(1))).isEqualTo(1);
        }
        assertThat(names(dir)).containsExactly("journal-1.log.damaged", "journal-2.log", "journal.lock");
        assertThat(Files.readAllBytes(dir.resolve("journal-1.log.damaged"))).isEqualTo(bytes);
        try (Journal journal = open(dir, new SimpleMeterRegistry())) {
            assertThat(seqs(journal)).containsExactly(1L);
        }
    }

    /** Thrown by a step hook: the process "dies" there, so nothing after it runs. */
    private static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private List<JournalRecord> liveEvenRecords(Journal journal) {
        List<JournalRecord> live = new ArrayList<>();
        for (JournalRecord record : journal.replayed()) {
            if (record.seq() % 2 == 0) {
                live.add(record);
            }
        }
        return live;
    }

    @Test
    void compaction_crashBeforeRename_keepsTheOldJournalAndRemovesTheTemporaryFile() throws Exception {
        Path dir = dirWith("crash-temp", original);
        Journal crashed = open(dir, new SimpleMeterRegistry());
        crashed.onStep(step -> {
            if (step == Journal.Step.TEMP_WRITTEN) {
                throw new SimulatedCrash();
            }
        });
        assertThatThrownBy(() -> crashed.compact(liveEvenRecords(crashed))).isInstanceOf(SimulatedCrash.class);
        assertThat(names(dir)).containsExactly("journal-1.log", "journal-2.log.tmp", "journal.lock");
        crashed.close(); // what the kernel does for a dead process: the files stay as they are

        try (Journal journal = open(dir, new SimpleMeterRegistry())) {
            assertThat(seqs(journal)).containsExactly(1L, 2L, 3L);
            assertThat(journal.append("intent", body(4))).isEqualTo(4);
        }
        assertThat(names(dir)).containsExactly("journal-1.log", "journal.lock");
    }

    @Test
    void compaction_crashAfterRename_usesTheNewGenerationAndRemovesTheOld() throws Exception {
        Path dir = dirWith("crash-renamed", original);
        Journal crashed = open(dir, new SimpleMeterRegistry());
        crashed.onStep(step -> {
            if (step == Journal.Step.RENAMED) {
                throw new SimulatedCrash();
            }
        });
        assertThatThrownBy(() -> crashed.compact(liveEvenRecords(crashed))).isInstanceOf(SimulatedCrash.class);
        assertThat(names(dir)).containsExactly("journal-1.log", "journal-2.log", "journal.lock");
        crashed.close();

        try (Journal journal = open(dir, new SimpleMeterRegistry())) {
            assertThat(seqs(journal)).containsExactly(2L);
            assertThat(journal.append("intent", body(4))).isEqualTo(4);
        }
        assertThat(names(dir)).containsExactly("journal-2.log", "journal.lock");
    }

    @Test
    void strayTemporaryFile_removedAtOpen_notCountedAsDamage() throws Exception {
        Path dir = dirWith("stray", original);
        Files.write(dir.resolve("journal-9.log.tmp"), new byte[] {1, 2, 3});
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Journal journal = open(dir, registry)) {
            assertThat(seqs(journal)).containsExactly(1L, 2L, 3L);
            assertThat(corrupt(registry, "damaged") + corrupt(registry, "torn-tail"))
                    .isZero();
        }
        assertThat(names(dir)).containsExactly("journal-1.log", "journal.lock");
    }

    @Test
    void damagedNewestGeneration_withAnOlderOneLeft_bothKeptAsideForAHuman() throws Exception {
        Path dir = dirWith("both", original);
        byte[] garbage = new byte[1000];
        new Random(7).nextBytes(garbage);
        Files.write(dir.resolve("journal-2.log"), garbage);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Journal journal = open(dir, registry)) {
            assertThat(journal.replayed()).isEmpty();
            assertThat(corrupt(registry, "damaged")).isEqualTo(1);
        }
        assertThat(names(dir))
                .containsExactly("journal-1.log.damaged", "journal-2.log.damaged", "journal-3.log", "journal.lock");
        assertThat(Files.readAllBytes(dir.resolve("journal-1.log.damaged"))).isEqualTo(original);
    }
}
