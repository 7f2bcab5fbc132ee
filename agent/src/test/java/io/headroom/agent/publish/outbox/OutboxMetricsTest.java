package io.headroom.agent.publish.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The outbox's meters keep reading after a GC. Micrometer holds a gauge's and a function counter's
 * object weakly: they were once given a lambda that nothing else held, and read NaN after the first
 * full collection (the outbox alert's own metric).
 */
class OutboxMetricsTest {

    @Test
    void meters_afterGarbageCollection_stillReadTheOutbox_notNaN() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T06:00:00Z"), ZoneOffset.UTC);
        MemoryOutbox outbox = new MemoryOutbox(16, clock);
        OutboxMetrics.register(registry, outbox, clock);
        for (int i = 0; i < 3; i++) {
            // A weakly held object that nothing else holds is cleared by the first full collection on HotSpot.
            System.gc();
        }

        assertThat(registry.get("headroom.outbox.depth").gauge().value()).isZero();
        assertThat(registry.get("headroom.outbox.bytes").gauge().value()).isZero();
        assertThat(registry.get("headroom.outbox.quarantined").functionCounter().count())
                .isZero();
        assertThat(outbox.size()).isZero(); // the outbox is what keeps the meters' object alive
    }
}
