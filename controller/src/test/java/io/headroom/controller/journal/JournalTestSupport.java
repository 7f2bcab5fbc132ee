package io.headroom.controller.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.SteppableClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/** Shared fixtures of the journal tests. */
final class JournalTestSupport {
    static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

    private JournalTestSupport() {}

    static SteppableClock clock() {
        return new SteppableClock(START);
    }

    static ObjectNode body(int n) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("n", n);
        body.put("feed", "feed-a");
        body.putArray("devices").add("miner-" + n).add("miner-" + (n + 1));
        return body;
    }

    static JsonNode n(JournalRecord record) {
        return record.body().get("n");
    }

    static double corrupt(MeterRegistry registry, String kind) {
        return registry.get("headroom.journal.corrupt")
                .tag("kind", kind)
                .counter()
                .count();
    }

    /** File names in {@code dir}, sorted. */
    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The one generation file in {@code dir}. */
    static Path journalFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> JournalFiles.GENERATION
                            .matcher(p.getFileName().toString())
                            .matches())
                    .toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one journal file in " + dir + ", found " + found);
            }
            return found.get(0);
        }
    }
}
