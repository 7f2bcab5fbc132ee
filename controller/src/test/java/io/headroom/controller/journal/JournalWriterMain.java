package io.headroom.controller.journal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.journal.JournalSettings.Fsync;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The child process of {@link JournalKillTest}: opens the journal in {@code args[0]} with fsync
 * always (recovering what the last killed child left), prints {@code open <replayed> <next-seq>
 * <corrupt>}, then appends {@code intent} records {@code {"round": args[1], "k": k}} and prints
 * {@code acked <seq> <k>} after each append has returned, until it is killed, its parent goes away
 * (stdin closes) or it has appended 100,000.
 */
public final class JournalWriterMain {
    private JournalWriterMain() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Thread parentWatch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // Nothing is sent; EOF means the test is gone.
                }
            } catch (java.io.IOException e) {
                // Same as EOF.
            }
            Runtime.getRuntime().halt(3);
        });
        parentWatch.setDaemon(true);
        parentWatch.start();
        int round = Integer.parseInt(args[1]);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Journal journal =
                Journal.open(Path.of(args[0]), JournalSettings.defaults(Fsync.ALWAYS), Clock.systemUTC(), registry);
        double corrupt = registry.get("headroom.journal.corrupt").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
        out.println("open " + journal.replayed().size() + " " + journal.nextSeq() + " " + (long) corrupt);
        for (int k = 1; k <= 100_000; k++) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("round", round);
            body.put("k", k);
            body.put("pad", "p".repeat(k % 97));
            long seq = journal.append("intent", body);
            out.println("acked " + seq + " " + k);
        }
    }
}
