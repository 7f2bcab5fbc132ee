package io.headroom.controller.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller killed with SIGKILL while it journals: a child JVM ({@link JournalWriterMain})
 * appends with fsync always and reports each sequence number the journal acknowledged; it is killed
 * after a random number of them, three times in a row on the same directory. Every acknowledged
 * record must come back, intact and in order, with at most one record more (the append the kill
 * interrupted after its write, before its line), and a kill never looks like damage.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalKillTest {

    private static final int ROUNDS = 3;

    @TempDir
    Path tmp;

    private Path dir;

    /** One acknowledged append, as the child reported it. */
    private record Acked(long seq, int round, int k) {}

    @Test
    void killedWhileAppending_everyAcknowledgedRecordReplays_atMostOneMore() throws Exception {
        dir = tmp.resolve("journal");
        Random random = new Random(22);
        List<Acked> acked = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            int after = 20 + random.nextInt(200);
            List<Acked> thisRound = runAndKill(round, after, acked.size());
            assertThat(thisRound).as("round %d acknowledged", round).hasSizeGreaterThanOrEqualTo(after);
            acked.addAll(thisRound);

            List<JournalRecord> replayed;
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Journal journal = Journal.open(
                    dir, JournalSettings.defaults(JournalSettings.Fsync.NEVER), Clock.systemUTC(), registry)) {
                replayed = journal.replayed();
                assertThat(registry.get("headroom.journal.corrupt")
                                .tag("kind", "damaged")
                                .counter()
                                .count())
                        .as("a kill never damages the journal")
                        .isZero();
                // The next child continues from here: forget the unacknowledged extra, as an owner
                // that compacts to what it knows would.
                List<JournalRecord> known = new ArrayList<>(replayed.subList(0, acked.size()));
                journal.compact(known);
            }
            assertThat(replayed.size())
                    .as("round %d: acknowledged %d", round, acked.size())
                    .isBetween(acked.size(), acked.size() + 1);
            for (int i = 0; i < acked.size(); i++) {
                Acked a = acked.get(i);
                JournalRecord record = replayed.get(i);
                assertThat(record.seq()).isEqualTo(a.seq());
                assertThat(record.type()).isEqualTo("intent");
                assertThat(record.body().get("round").asInt()).isEqualTo(a.round());
                assertThat(record.body().get("k").asInt()).isEqualTo(a.k());
                assertThat(record.body().get("pad").asText()).isEqualTo("p".repeat(a.k() % 97));
            }
            if (replayed.size() > acked.size()) {
                JournalRecord extra = replayed.get(acked.size());
                assertThat(extra.seq()).isEqualTo(acked.get(acked.size() - 1).seq() + 1);
                assertThat(extra.body().get("k").asInt())
                        .isEqualTo(thisRound.get(thisRound.size() - 1).k() + 1);
            }
        }
        assertThat(acked).extracting(Acked::seq).isSorted().doesNotHaveDuplicates();
    }

    /** Runs the child until it acknowledged {@code after} appends, kills it; every append it reported. */
    private List<Acked> runAndKill(int round, int after, int replayedBefore) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = tmp.resolve("writer-" + round + ".err");
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        JournalWriterMain.class.getName(),
                        dir.toString(),
                        Integer.toString(round))
                .redirectError(stderr.toFile())
                .start();
        List<Acked> reported = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean killed = false;
            while ((line = lines.readLine()) != null) {
                String[] words = line.split(" ");
                if (words[0].equals("open")) {
                    assertThat(Integer.parseInt(words[1]))
                            .as("replayed by child %d", round)
                            .isEqualTo(replayedBefore);
                    assertThat(words[3])
                            .as("corrupt at child %d's start", round)
                            .isEqualTo("0");
                } else if (words[0].equals("acked")) {
                    reported.add(new Acked(Long.parseLong(words[1]), round, Integer.parseInt(words[2])));
                    if (!killed && reported.size() >= after) {
                        // SIGKILL through the handle: Process.destroyForcibly would also close our end of
                        // the pipe, and the lines already in it are acknowledgements too.
                        child.toHandle().destroyForcibly();
                        killed = true;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue())
                .as("child %d killed, not finished; its stderr: %s", round, Files.readString(stderr))
                .isEqualTo(137);
        return reported;
    }
}
