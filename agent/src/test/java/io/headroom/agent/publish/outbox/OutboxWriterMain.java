package io.headroom.agent.publish.outbox;

import io.headroom.agent.config.OutboxSettings.Fsync;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The child process of {@link OutboxKillIT}: opens the outbox in {@code args[0]} (recovering what
 * the last killed child left), then appends telemetry of boot {@code args[1]} and prints {@code
 * kept <seq>} after each append has returned, until it is killed (or has appended 100,000).
 */
public final class OutboxWriterMain {
    private OutboxWriterMain() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        long boot = Long.parseLong(args[1]);
        SegmentOutbox outbox =
                SegmentOutbox.open(Path.of(args[0]), 1_000_000, 32L << 20, 0, Fsync.NEVER, 1000, Clock.systemUTC());
        out.println("open " + outbox.size() + " " + outbox.quarantined());
        for (long seq = 1; seq <= 100_000; seq++) {
            if (outbox.append(OutboxFixtures.data(boot, seq, 100)) < 0) {
                out.println("refused " + seq);
                return;
            }
            out.println("kept " + seq);
        }
    }
}
