package io.headroom.controller.journal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The journal's meters, removed again when it closes so that a reopened journal registers its own.
 * Names in {@code docs/journal.md}.
 */
final class JournalMetrics {
    final Counter appends;
    final Counter written;
    final Timer fsync;
    final Counter tornTail;
    final Counter damaged;
    final Counter compactions;
    private final MeterRegistry registry;
    private final List<Meter> meters;

    <T> JournalMetrics(MeterRegistry registry, T journal, ToDoubleFunction<T> sizeBytes) {
        this.registry = registry;
        appends = Counter.builder("headroom.journal.appends")
                .description("records appended to the journal")
                .register(registry);
        written = Counter.builder("headroom.journal.written")
                .description("bytes appended to the journal, framing included")
                .baseUnit("bytes")
                .register(registry);
        fsync = Timer.builder("headroom.journal.fsync")
                .description("fsync calls of the journal: one per append or batch with fsync always, and compactions")
                .register(registry);
        tornTail = corrupt(registry, "torn-tail");
        damaged = corrupt(registry, "damaged");
        compactions = Counter.builder("headroom.journal.compactions")
                .description("journal files rewritten to the records still live")
                .register(registry);
        Gauge size = Gauge.builder("headroom.journal.bytes", journal, sizeBytes)
                .description("size of the journal file")
                .baseUnit("bytes")
                .register(registry);
        meters = List.of(appends, written, fsync, tornTail, damaged, compactions, size);
    }

    private static Counter corrupt(MeterRegistry registry, String kind) {
        return Counter.builder("headroom.journal.corrupt")
                .description("journal files found damaged at start-up: a torn tail cut off, or damage moved aside")
                .tag("kind", kind)
                .register(registry);
    }

    void remove() {
        meters.forEach(registry::remove);
    }
}
