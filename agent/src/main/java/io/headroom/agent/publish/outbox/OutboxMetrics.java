package io.headroom.agent.publish.outbox;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Supplier;

/** The outbox's meters, {@code headroom.outbox.*}; {@code docs/metrics.md} lists them. */
public final class OutboxMetrics {

    private OutboxMetrics() {}

    /** Registers meters that read whichever outbox {@code outbox} gives at scrape time. */
    public static void register(MeterRegistry registry, Supplier<Outbox> outbox, Clock clock) {
        Gauge.builder("headroom.outbox.depth", outbox, o -> o.get().size())
                .description("Records kept until the controller acknowledges them")
                .register(registry);
        Gauge.builder("headroom.outbox.bytes", outbox, o -> o.get().bytes())
                .description("Bytes of the kept records, as outbox.max-bytes counts them")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(
                        "headroom.outbox.oldest.age.seconds",
                        outbox,
                        o -> o.get().oldestAppendedAtMillis().stream()
                                .mapToDouble(at -> (clock.millis() - at) / 1000.0)
                                .findFirst()
                                .orElse(0))
                .description("Age of the oldest kept record")
                .register(registry);
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder(
                            "headroom.outbox.dropped", outbox, o -> o.get().dropped(reason))
                    .tag("reason", reason.tag())
                    .description("Records let go before the controller acknowledged them, by reason")
                    .register(registry);
        }
        FunctionCounter.builder(
                        "headroom.outbox.quarantined", outbox, o -> o.get().quarantined())
                .description("Corrupt outbox segments moved aside at start-up")
                .register(registry);
    }
}
