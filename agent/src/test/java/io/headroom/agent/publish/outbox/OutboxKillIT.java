package io.headroom.agent.publish.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.config.OutboxSettings.Fsync;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix row 3: the agent's process killed with SIGKILL in a loop while its outbox holds a
 * backlog. A child JVM appends and says which seqs the outbox acknowledged; it is killed after a
 * random number of them. Between kills a model controller takes in everything pending (the replay),
 * deduplicating on (boot, seq), and acknowledges only part of it, so the outbox stays full. The
 * guarantee, with counts: every seq the outbox acknowledged is either taken in or still pending —
 * at least once — and the duplicates the replays cause are all caught by the dedupe.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OutboxKillIT {

    private static final int KILLS = Integer.getInteger("headroom.outbox.kills", 8);

    @TempDir
    Path dir;

    @Test
    void killedInALoop_withABacklog_nothingTheOutboxAcknowledgedIsLost_duplicatesDeduplicated() throws Exception {
        Random random = new Random(42);
        Map<Long, Long> acknowledged = new HashMap<>(); // boot -> highest seq the outbox acknowledged
        Set<String> takenIn = new HashSet<>(); // "boot/seq" at the model controller
        long duplicates = 0;
        long quarantined = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            long boot = kill;
            int after = 50 + random.nextInt(600);
            long lastKept = runAndKill(boot, after);
            assertThat(lastKept).as("child %d acknowledged appends", kill).isGreaterThanOrEqualTo(after);
            acknowledged.put(boot, lastKept);

            try (SegmentOutbox outbox =
                    SegmentOutbox.open(dir, 1_000_000, 32L << 20, 0, Fsync.NEVER, 1000, Clock.systemUTC())) {
                quarantined += outbox.quarantined();
                Map<Long, Long> highest = new HashMap<>();
                for (Outbox.Entry entry : outbox.after(0, Integer.MAX_VALUE)) {
                    if (!takenIn.add(entry.bootId() + "/" + entry.seq())) {
                        duplicates++;
                    }
                    highest.merge(entry.bootId(), entry.seq(), Math::max);
                }
                // Acknowledge about half of each boot's records: the rest stays, a backlog.
                highest.forEach((b, seq) -> outbox.ackThrough(b, seq / 2));
            }
        }

        long acknowledgedTotal =
                acknowledged.values().stream().mapToLong(Long::longValue).sum();
        try (SegmentOutbox outbox =
                SegmentOutbox.open(dir, 1_000_000, 32L << 20, 0, Fsync.NEVER, 1000, Clock.systemUTC())) {
            List<Outbox.Entry> pending = outbox.after(0, Integer.MAX_VALUE);
            Set<String> held = new HashSet<>(takenIn);
            for (Outbox.Entry entry : pending) {
                held.add(entry.bootId() + "/" + entry.seq());
            }
            for (Map.Entry<Long, Long> boot : acknowledged.entrySet()) {
                for (long seq = 1; seq <= boot.getValue(); seq++) {
                    assertThat(held).as("acknowledged by the outbox").contains(boot.getKey() + "/" + seq);
                }
            }
            // Taken in, or still pending and not yet replayed: at least what the outbox acknowledged
            // (a child may have appended a few more after the last line read before the kill).
            assertThat(takenIn.size() + uncollected(pending, takenIn)).isGreaterThanOrEqualTo(acknowledgedTotal);
            assertThat(outbox.size()).as("a backlog remains").isPositive();
        }
        assertThat(duplicates)
                .as("replays after each kill re-send what was not acknowledged")
                .isPositive();
        assertThat(quarantined).as("a kill never corrupts a segment").isZero();
    }

    /** Pending records the model controller has not taken in yet (appended after the last replay). */
    private static long uncollected(List<Outbox.Entry> pending, Set<String> takenIn) {
        return pending.stream()
                .filter(e -> !takenIn.contains(e.bootId() + "/" + e.seq()))
                .count();
    }

    /** Runs the child until it has acknowledged {@code after} appends, kills it; the last seq it reported. */
    private long runAndKill(long boot, int after) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        OutboxWriterMain.class.getName(),
                        dir.toString(),
                        Long.toString(boot))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long last = 0;
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("open ")) {
                    assertThat(line.split(" ")[2]).as("quarantined at start-up").isEqualTo("0");
                } else if (line.startsWith("kept ")) {
                    last = Long.parseLong(line.substring(5));
                    if (last >= after) {
                        child.destroyForcibly(); // SIGKILL
                        break;
                    }
                }
            }
            // Appends after that line may be on disk too; they were not reported, so nothing is owed.
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).as("killed, not finished").isEqualTo(137);
        return last;
    }
}
