package io.headroom.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.journal.Journal;
import io.headroom.controller.journal.JournalEntry;
import io.headroom.controller.journal.JournalSettings;
import io.headroom.controller.journal.JournalSettings.Fsync;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Measures the controller's journal on this machine's disk, side by side in one run: batches of 100
 * records of about 300 bytes with {@code fsync: always} (what the control engine writes per tick),
 * single appends with {@code fsync: always}, and the replay at {@link Journal#open} of 100,000 such
 * records. Prints one line:
 *
 * <pre>
 * BENCH journal fsync=always batch=100 record_bytes=… batches_per_s=… records_per_s=… single_per_s=…
 *       batch_to_single=… replay_records=100000 replay_ms=… replay_records_per_s=… replay_mb_per_s=… …
 * </pre>
 *
 * Arguments: the number of batches (default 200) and the directory to write in (default a temporary
 * one: put it on the disk the controller will use, since tmpfs makes fsync free).
 */
public final class JournalBench {
    static final int BATCH = 100;
    static final int REPLAY_RECORDS = 100_000;

    private JournalBench() {}

    public static void main(String[] args) throws IOException {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path base = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("headroom-journal-bench");
        List<JournalEntry> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(new JournalEntry(i % 10 == 0 ? "grid-event" : "intent", body(i)));
        }

        Path batchDir = base.resolve("batch");
        delete(batchDir);
        double batchSeconds;
        long bytes;
        try (Journal journal = open(batchDir, Fsync.ALWAYS)) {
            long start = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                journal.appendAll(batch);
            }
            batchSeconds = (System.nanoTime() - start) / 1e9;
            bytes = journal.sizeBytes();
        }
        double recordBytes = (double) bytes / ((long) batches * BATCH);
        delete(batchDir);

        Path singleDir = base.resolve("single");
        delete(singleDir);
        int singles = Math.max(50, batches);
        double singleSeconds;
        try (Journal journal = open(singleDir, Fsync.ALWAYS)) {
            long start = System.nanoTime();
            for (int i = 0; i < singles; i++) {
                JournalEntry entry = batch.get(i % BATCH);
                journal.append(entry.type(), entry.body());
            }
            singleSeconds = (System.nanoTime() - start) / 1e9;
        }
        delete(singleDir);

        Path replayDir = base.resolve("replay");
        delete(replayDir);
        long replayBytes;
        try (Journal journal = open(replayDir, Fsync.NEVER)) {
            for (int b = 0; b < REPLAY_RECORDS / BATCH; b++) {
                journal.appendAll(batch);
            }
            replayBytes = journal.sizeBytes();
        }
        long replayStart = System.nanoTime();
        int replayed;
        try (Journal journal = open(replayDir, Fsync.NEVER)) {
            replayed = journal.replayed().size();
        }
        double replaySeconds = (System.nanoTime() - replayStart) / 1e9;
        if (replayed != REPLAY_RECORDS) {
            throw new IllegalStateException("replayed " + replayed + " of " + REPLAY_RECORDS);
        }
        delete(replayDir);

        double batchesPerSecond = batches / batchSeconds;
        double singlesPerSecond = singles / singleSeconds;
        System.out.println(String.format(
                Locale.ROOT,
                "BENCH journal fsync=always batch=%d record_bytes=%.0f batches_per_s=%.0f records_per_s=%.0f"
                        + " single_per_s=%.0f batch_to_single=%.1f replay_records=%d replay_ms=%.0f"
                        + " replay_records_per_s=%.0f replay_mb_per_s=%.1f batches=%d jdk=%s cpus=%d dir=%s",
                BATCH,
                recordBytes,
                batchesPerSecond,
                batchesPerSecond * BATCH,
                singlesPerSecond,
                batchesPerSecond * BATCH / singlesPerSecond,
                REPLAY_RECORDS,
                replaySeconds * 1e3,
                REPLAY_RECORDS / replaySeconds,
                replayBytes / replaySeconds / 1e6,
                batches,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                base));
    }

    private static Journal open(Path dir, Fsync fsync) throws IOException {
        return Journal.open(dir, JournalSettings.defaults(fsync), Clock.systemUTC(), new SimpleMeterRegistry());
    }

    /** An intent of the control engine's shape: about 285 bytes of JSON, 300 with the framing. */
    static ObjectNode body(int i) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("intent", "cap");
        body.put("site", "demo");
        body.put("feed", "feed-a");
        body.put("device", "rack-" + (i % 40) + "/miner-" + String.format(Locale.ROOT, "%03d", i));
        body.put("target-watts", 2400 + i);
        body.put("previous-watts", 3250);
        body.put("reason", "grid-event feed-a shed 1.2MW within 30s");
        body.put("deadline-ms", 1_764_583_230_000L + i);
        body.put("lease", "60s");
        body.put("command-id", String.format(Locale.ROOT, "%032x", 0x5EEDL * (i + 1)));
        body.put("tick", 184_220);
        return body;
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
