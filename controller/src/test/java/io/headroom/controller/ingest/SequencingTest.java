package io.headroom.controller.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.SteppableClock;
import io.headroom.protocol.MalformedPayloadException;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Birth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequencingTest {

    private final SteppableClock clock = new SteppableClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Ack> acks = new ArrayList<>();
    private final Sequencing sequencing = new Sequencing(
            (topic, payload, retain, expiry) -> {
                try {
                    acks.add(WireCodec.decode(payload, Ack.class));
                } catch (MalformedPayloadException e) {
                    throw new AssertionError(e);
                }
                return 1;
            },
            clock,
            new IngestMetrics(registry));
    private final AgentSession session = new AgentSession("a1", Topics.agent("s1", "a1", TopicKind.ACK));

    @Test
    void admit_beforeBirth_asksForRebirthInTheAgentsBoot() {
        assertThat(sequencing.admit(session, TopicKind.DATA, 7, 1)).isNull();

        assertThat(acks).singleElement().satisfies(ack -> {
            assertThat(ack.getRebirth()).isTrue();
            assertThat(ack.getBootId()).isEqualTo(7);
            assertThat(ack.getRebirthReason()).isEqualTo(RebirthReason.DATA_BEFORE_BIRTH.wireName());
        });
    }

    @Test
    void requestRebirth_withinDebounce_isAPlainAck() {
        born(7);

        sequencing.requestRebirth(session, 7, RebirthReason.SEQUENCE_GAP);
        clock.advance(Duration.ofMillis(Sequencing.REBIRTH_DEBOUNCE_MILLIS - 1));
        sequencing.requestRebirth(session, 7, RebirthReason.SEQUENCE_GAP);
        clock.advance(Duration.ofMillis(1));
        sequencing.requestRebirth(session, 7, RebirthReason.SEQUENCE_GAP);

        assertThat(acks).extracting(Ack::getRebirth).containsExactly(true, false, true);
        assertThat(registry.get("headroom.ingest.rebirth.suppressed").counter().count())
                .isEqualTo(1);
    }

    @Test
    void admit_aheadOfContiguous_takenInButAckStaysAtContiguous() {
        born(7);

        assertThat(sequencing.admit(session, TopicKind.DATA, 7, 2)).isEqualTo(SequenceWindow.Offer.IN_ORDER);
        assertThat(sequencing.admit(session, TopicKind.DATA, 7, 4)).isEqualTo(SequenceWindow.Offer.AHEAD);
        assertThat(sequencing.admit(session, TopicKind.DATA, 7, 4)).isNull();

        // The duplicate is acked with the highest contiguous seq, not the highest seen.
        assertThat(acks).singleElement().extracting(Ack::getSeq).isEqualTo(2L);
    }

    private void born(long bootId) {
        Birth birth = Birth.newBuilder()
                .setAgentId("a1")
                .setBootId(bootId)
                .setSession(1)
                .setSeq(1)
                .setPendingFromSeq(1)
                .build();
        assertThat(sequencing.admitBirth(session, birth)).isTrue();
        // Ingest's part once the birth is registered.
        session.awaitingBirth = false;
        acks.clear();
    }
}
