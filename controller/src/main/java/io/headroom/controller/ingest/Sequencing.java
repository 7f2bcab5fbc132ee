package io.headroom.controller.ingest;

import io.headroom.controller.ingest.IngestMetrics.MessageOutcome;
import io.headroom.controller.transport.ControllerPublisher;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Birth;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequencing rules of {@code headroom.proto} for an agent's current boot, and the answers they
 * give on its ack topic: which Birth, Data and Result seqs are taken in, an ack of the highest
 * contiguous seq, and a rebirth request when the stream cannot be interpreted (gap, data before
 * birth, a boot not born), at most one per {@link #REBIRTH_DEBOUNCE_MILLIS}.
 *
 * <p>Kept apart from {@link Ingest}, which decodes and dispatches and decides what a message does
 * to device state; this is only about seqs and what the agent is told of them. The earlier boots'
 * rules are {@link EarlierBootReplay}'s. Called under the session's lock.
 */
final class Sequencing {

    /** At most one rebirth request per agent in this interval; an agent needs time to answer one. */
    static final long REBIRTH_DEBOUNCE_MILLIS = 2_000;

    // Ingest's logger, as DeviceRegistration's and SampleApplier's: one name configures all of ingest.
    private final Logger logger = LoggerFactory.getLogger(Ingest.class);
    private final ControllerPublisher publisher;
    private final Clock clock;
    private final IngestMetrics metrics;

    Sequencing(ControllerPublisher publisher, Clock clock, IngestMetrics metrics) {
        this.publisher = publisher;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Sequencing of a Birth that names this session's agent: false when it is dropped (a late
     * birth of an older connection, counted; a duplicate, counted and acked). Otherwise the
     * session is now on the birth's boot and session, its window resumed from the birth's
     * pending_from_seq and the birth's own seq taken in; the caller registers it and acks.
     */
    boolean admitBirth(AgentSession session, Birth birth) {
        boolean sameBoot = session.bootId == birth.getBootId();
        if (sameBoot && birth.getSession() < session.session) {
            // A birth of an older connection of this boot, delivered late: the current one wins.
            metrics.message(TopicKind.BIRTH, MessageOutcome.REJECTED).increment();
            return false;
        }
        if (sameBoot
                && !session.awaitingBirth
                && birth.getSession() == session.session
                && session.window.contains(birth.getSeq())) {
            metrics.message(TopicKind.BIRTH, MessageOutcome.DUPLICATE).increment();
            ack(session);
            return false;
        }
        if (sameBoot) {
            long lost = session.window.advanceTo(birth.getPendingFromSeq() - 1);
            if (lost > 0) {
                metrics.sequenceLost.increment(lost);
            }
        } else {
            if (session.bootId != 0) {
                // The previous boot's records may still come, replayed from the agent's outbox.
                session.earlierBoots.put(session.bootId, session.window.copy());
            }
            session.earlierBoots.remove(birth.getBootId());
            session.window.reset(birth.getPendingFromSeq() - 1);
        }
        session.bootId = birth.getBootId();
        session.session = birth.getSession();
        session.window.offer(birth.getSeq());
        return true;
    }

    /**
     * Sequencing shared by Data and Result: returns how the seq was taken in, or null when the
     * message was dropped (and acked, or a rebirth asked for, as needed).
     */
    SequenceWindow.Offer admit(AgentSession session, TopicKind kind, long bootId, long seq) {
        if (session.awaitingBirth || session.bootId == 0) {
            metrics.message(kind, MessageOutcome.REJECTED).increment();
            requestRebirth(session, bootId, RebirthReason.DATA_BEFORE_BIRTH);
            return null;
        }
        if (bootId != session.bootId) {
            metrics.message(kind, MessageOutcome.REJECTED).increment();
            requestRebirth(session, bootId, RebirthReason.UNKNOWN_BOOT);
            return null;
        }
        SequenceWindow.Offer offer = session.window.offer(seq);
        switch (offer) {
            case DUPLICATE:
                metrics.message(kind, MessageOutcome.DUPLICATE).increment();
                ack(session);
                return null;
            case WINDOW_FULL:
                metrics.message(kind, MessageOutcome.REJECTED).increment();
                requestRebirth(session, bootId, RebirthReason.SEQUENCE_GAP);
                return null;
            default:
                return offer;
        }
    }

    void ack(AgentSession session) {
        if (session.bootId == 0) {
            return;
        }
        Ack ack = Ack.newBuilder()
                .setBootId(session.bootId)
                .setSeq(session.window.contiguous())
                .build();
        publisher.publish(session.ackTopic, WireCodec.encode(ack), false, 0);
    }

    /**
     * Asks for a rebirth, at most once per {@link #REBIRTH_DEBOUNCE_MILLIS}; a suppressed request
     * is still a plain ack. {@code bootId} is the boot the agent is speaking for.
     */
    void requestRebirth(AgentSession session, long bootId, RebirthReason reason) {
        long now = clock.millis();
        if (session.lastRebirthRequestMillis != Long.MIN_VALUE
                && now - session.lastRebirthRequestMillis < REBIRTH_DEBOUNCE_MILLIS) {
            metrics.rebirthsSuppressed.increment();
            if (bootId == session.bootId) {
                ack(session);
            }
            return;
        }
        if (bootId == 0) {
            // Ack requires a boot_id; without one the agent could not match the request anyway.
            metrics.rebirthsSuppressed.increment();
            return;
        }
        session.lastRebirthRequestMillis = now;
        metrics.rebirth(reason).increment();
        long seq = bootId == session.bootId ? session.window.contiguous() : 0;
        Ack ack = Ack.newBuilder()
                .setBootId(bootId)
                .setSeq(seq)
                .setRebirth(true)
                .setRebirthReason(reason.wireName())
                .build();
        publisher.publish(session.ackTopic, WireCodec.encode(ack), false, 0);
        if (session.firstWarning("rebirth:" + reason.wireName())) {
            logger.info("agent {}: asked for a rebirth ({})", session.agentId, reason.wireName());
        }
    }
}
