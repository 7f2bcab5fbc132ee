package io.headroom.controller.ingest;

import io.headroom.protocol.TopicKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** Ingest's meters, built once so the hot path never looks a meter up by tags. */
final class IngestMetrics {

    enum MessageOutcome {
        ACCEPTED("accepted"),
        DUPLICATE("duplicate"),
        MALFORMED("malformed"),
        REJECTED("rejected"),
        /** A Death of an older session or boot: a late Will. */
        IGNORED("ignored");

        final String tag;

        MessageOutcome(String tag) {
            this.tag = tag;
        }
    }

    enum SampleOutcome {
        APPLIED("applied"),
        HISTORICAL("historical"),
        UNKNOWN_ALIAS("unknown-alias"),
        NON_FINITE("non-finite"),
        OUT_OF_ORDER("out-of-order"),
        /** Stored with quality BAD: outside the metric dictionary's plausible range. */
        IMPLAUSIBLE("implausible"),
        /** The alias names a metric or device the controller refused at birth. */
        REJECTED("rejected");

        final String tag;

        SampleOutcome(String tag) {
            this.tag = tag;
        }
    }

    private final Map<TopicKind, Map<MessageOutcome, Counter>> messages = new EnumMap<>(TopicKind.class);
    private final Map<SampleOutcome, Counter> samples = new EnumMap<>(SampleOutcome.class);
    private final Map<RebirthReason, Counter> rebirths = new EnumMap<>(RebirthReason.class);
    final Counter rebirthsSuppressed;
    final Counter sequenceLost;
    final Counter metricsRejectedUnknownName;
    final Counter metricsRejectedUnitMismatch;
    final Counter devicesRejectedOwned;
    final Counter samplesClockAhead;
    final Counter statusUnknownDevice;
    final Counter internalErrors;

    IngestMetrics(MeterRegistry registry) {
        for (TopicKind kind : TopicKind.values()) {
            if (kind.direction() != TopicKind.Direction.FROM_AGENT) {
                continue;
            }
            Map<MessageOutcome, Counter> byOutcome = new EnumMap<>(MessageOutcome.class);
            for (MessageOutcome outcome : MessageOutcome.values()) {
                byOutcome.put(
                        outcome,
                        Counter.builder("headroom.ingest.messages")
                                .description("Messages from agents, by kind and what ingest did with them")
                                .tag("kind", kind.wireName())
                                .tag("outcome", outcome.tag)
                                .register(registry));
            }
            messages.put(kind, byOutcome);
        }
        for (SampleOutcome outcome : SampleOutcome.values()) {
            samples.put(
                    outcome,
                    Counter.builder("headroom.ingest.samples")
                            .description("Samples in Data messages, by what ingest did with them")
                            .tag("outcome", outcome.tag)
                            .register(registry));
        }
        for (RebirthReason reason : RebirthReason.values()) {
            rebirths.put(
                    reason,
                    Counter.builder("headroom.ingest.rebirth.requests")
                            .description("Rebirth requests sent to agents")
                            .tag("reason", reason.wireName())
                            .register(registry));
        }
        rebirthsSuppressed = Counter.builder("headroom.ingest.rebirth.suppressed")
                .description("Rebirth requests not sent because one went to the agent less than 2 s before")
                .register(registry);
        sequenceLost = Counter.builder("headroom.ingest.sequence.lost")
                .description("Seqs an agent gave up on before the controller received them")
                .register(registry);
        metricsRejectedUnknownName = metricsRejected(registry, "unknown-name");
        metricsRejectedUnitMismatch = metricsRejected(registry, "unit-mismatch");
        devicesRejectedOwned = Counter.builder("headroom.ingest.devices.rejected")
                .description("Devices in a birth refused because another agent owns that id (a conflict)")
                .tag("reason", "owned-by-other-agent")
                .register(registry);
        samplesClockAhead = Counter.builder("headroom.ingest.samples.restamped")
                .description("Samples stamped further ahead of the controller's clock than the tolerance;"
                        + " stored with the receive time instead")
                .tag("reason", "clock-ahead")
                .register(registry);
        statusUnknownDevice = Counter.builder("headroom.ingest.status.rejected")
                .description("DeviceStatus entries for a device not in the agent's current birth")
                .tag("reason", "unknown-device")
                .register(registry);
        internalErrors = Counter.builder("headroom.ingest.errors")
                .description("Messages whose handling failed with an unexpected exception")
                .register(registry);
    }

    private static Counter metricsRejected(MeterRegistry registry, String reason) {
        return Counter.builder("headroom.ingest.metrics.rejected")
                .description("Metric definitions in births that the controller did not register")
                .tag("reason", reason)
                .register(registry);
    }

    Counter message(TopicKind kind, MessageOutcome outcome) {
        return messages.get(kind).get(outcome);
    }

    Counter samples(SampleOutcome outcome) {
        return samples.get(outcome);
    }

    Counter rebirth(RebirthReason reason) {
        return rebirths.get(reason);
    }
}
