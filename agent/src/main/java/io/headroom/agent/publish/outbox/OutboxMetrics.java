package io.headroom.agent.publish.outbox;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/** The outbox's meters, {@code headroom.outbox.*}; {@code docs/metrics.md} lists them. */
public final class OutboxMetrics {

    private OutboxMetrics() {}

    /**
     * Registers meters that read {@code outbox} at scrape time. Micrometer holds a gauge's or function
     * counter's object weakly: the outbox itself is given (its owner holds it), never a lambda that
     * nothing else holds, which the first full GC would clear and the meters would read NaN.
     */
    public static void register(MeterRegistry registry, Outbox outbox, Clock clock) {
        Gauge.builder("headroom.outbox.depth", outbox, o -> o.size())
                .description("Records kept until the controller acknowledges them")
                .register(registry);
        Gauge.builder("headroom.outbox.bytes", outbox, o -> o.bytes())
                .description("Bytes of the kept records, as outbox.max-bytes counts them")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(
                        "headroom.outbox.oldest.age.seconds",
                        outbox,
                        o -> o.oldestAppendedAtMillis().stream()
                                .mapToDouble(at -> (clock.millis() - at) / 1000.0)
                                .findFirst()
                                .orElse(0))
                .description("Age of the oldest kept record")
                .register(registry);
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder("headroom.outbox.dropped", outbox, o -> o.dropped(reason))
                    .tag("reason", reason.tag())
                    .description("Records let go before the controller acknowledged them, by reason")
                    .register(registry);
        }
        FunctionCounter.builder("headroom.outbox.quarantined", outbox, o -> o.quarantined())
                .description("Corrupt outbox segments moved aside at start-up")
                .register(registry);
    }
}
