package io.headroom.controller.ingest;

import io.headroom.controller.ingest.IngestMetrics.MessageOutcome;
import io.headroom.controller.transport.ControllerPublisher;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;

/**
 * Takes in what a restarted agent's outbox replays from its earlier boots: history, deduplicated
 * per boot and acknowledged in that boot's name, never a rebirth request. The windows live in
 * {@link AgentSession#earlierBoots}.
 *
 * <p>Kept apart from {@link Ingest} because an earlier boot follows other sequencing rules than
 * the current one (a high-water mark rather than a gap-detecting window). Called under the
 * session's lock.
 */
final class EarlierBootReplay {
    private final ControllerPublisher publisher;
    private final IngestMetrics metrics;

    EarlierBootReplay(ControllerPublisher publisher, IngestMetrics metrics) {
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /**
     * True for a message of another boot than the current one, once the current boot has been
     * born: a restarted agent replaying what its outbox kept from before the restart.
     */
    static boolean earlierBoot(AgentSession session, long bootId) {
        return bootId != session.bootId && bootId != 0 && session.bootId != 0 && !session.awaitingBirth;
    }

    /**
     * Takes in a replayed record of an earlier boot as history: deduplicated against what was
     * taken in of that boot, acknowledged in that boot's name, never a rebirth request (the agent
     * cannot re-birth a boot that has ended, so asking would loop). Its window is a high-water
     * mark: a replay comes in order over one connection, so a hole below a record is what the agent
     * dropped, never something still on its way, and waiting for it would pin the agent's outbox.
     *
     * @return true if the record is new (not a duplicate)
     */
    boolean admit(AgentSession session, TopicKind kind, long bootId, long seq) {
        SequenceWindow window = session.earlierBoots.get(bootId);
        if (window == null) {
            // A boot this controller never saw (it restarted since): take in from here.
            window = new SequenceWindow();
            window.reset(seq - 1);
            session.earlierBoots.put(bootId, window);
        }
        SequenceWindow.Offer offer = window.offer(seq);
        boolean fresh = offer != SequenceWindow.Offer.DUPLICATE;
        if (fresh && offer != SequenceWindow.Offer.IN_ORDER) {
            long lost = window.advanceTo(seq - 1);
            if (lost > 0) {
                metrics.sequenceLost.increment(lost);
            }
            if (!window.contains(seq)) {
                window.offer(seq);
            }
        }
        metrics.message(kind, fresh ? MessageOutcome.ACCEPTED : MessageOutcome.DUPLICATE)
                .increment();
        publisher.publish(
                session.ackTopic,
                WireCodec.encode(Ack.newBuilder()
                        .setBootId(bootId)
                        .setSeq(window.contiguous())
                        .build()),
                false,
                0);
        return fresh;
    }
}
