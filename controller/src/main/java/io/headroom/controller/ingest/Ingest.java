package io.headroom.controller.ingest;

import io.headroom.controller.history.History;
import io.headroom.controller.ingest.IngestMetrics.MessageOutcome;
import io.headroom.controller.ingest.IngestMetrics.SampleOutcome;
import io.headroom.controller.log.RateLimitedLog;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.OwnershipHandover;
import io.headroom.controller.store.StateStore;
import io.headroom.controller.transport.AgentMessageListener;
import io.headroom.controller.transport.ControllerPublisher;
import io.headroom.protocol.DataFrame;
import io.headroom.protocol.MalformedPayloadException;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.Result;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what agents publish into device state in the {@link StateStore}, following the sequencing
 * rules of {@code headroom.proto}: dedupe on (agent, boot_id, seq), acknowledge the highest
 * contiguous seq, ask for a rebirth when the stream cannot be interpreted (gap, unknown alias,
 * data before birth), never apply historical replays to live state, and mark an agent's devices
 * STALE the moment its death or disconnect is known.
 *
 * <p>Thread-safe: each agent's state is guarded by its own session, so different agents are
 * handled in parallel. No method blocks or throws; every dropped message or sample is counted
 * under {@code headroom.ingest.*}.
 *
 * <p>Ingest decodes, dispatches and keeps the agents' sessions. Which seqs are taken in and what
 * the agent is told of them (acks, rebirth requests) is {@link Sequencing}'s, what an accepted
 * Birth does to the device registry is {@link DeviceRegistration}'s, what a live Data does to
 * device state is {@link SampleApplier}'s, and the replays of a restarted agent's earlier boots are
 * {@link EarlierBootReplay}'s; all four run under the session's lock, called from here.
 */
public final class Ingest implements AgentMessageListener {

    static final String AWAITING_DATA = "awaiting-data";
    static final String AGENT_DEATH = "agent-death";
    static final String AGENT_DISCONNECTED = "agent-disconnected";

    /** Samples stamped further ahead of the controller's clock than this are re-stamped with receive time. */
    public static final Duration DEFAULT_CLOCK_TOLERANCE = Duration.ofSeconds(5);

    private final Logger logger = LoggerFactory.getLogger(getClass());
    private final String site;
    private final StateStore store;
    private final ResultListener results;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final DeviceRegistration registration;
    private final SampleApplier samples;
    private final EarlierBootReplay earlierBoots;
    private final Sequencing sequencing;
    private final ConcurrentHashMap<String, AgentSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger connectedAgents = new AtomicInteger();

    public Ingest(
            String site,
            StateStore store,
            ControllerPublisher publisher,
            ResultListener results,
            Clock clock,
            MeterRegistry registry) {
        this(site, store, publisher, results, clock, registry, DEFAULT_CLOCK_TOLERANCE);
    }

    /**
     * @param clockTolerance how far ahead of the controller's clock a sample may be stamped; later
     *     stamps are counted, logged (rate-limited) and replaced by the receive time
     */
    public Ingest(
            String site,
            StateStore store,
            ControllerPublisher publisher,
            ResultListener results,
            Clock clock,
            MeterRegistry registry,
            Duration clockTolerance) {
        this(site, store, publisher, results, clock, registry, clockTolerance, History.off());
    }

    /** @param history takes every sample stored as given (not implausible ones) into the short-term history */
    public Ingest(
            String site,
            StateStore store,
            ControllerPublisher publisher,
            ResultListener results,
            Clock clock,
            MeterRegistry registry,
            Duration clockTolerance,
            History history) {
        if (clockTolerance.isNegative()) {
            throw new IllegalArgumentException("clockTolerance: " + clockTolerance + " is negative");
        }
        this.site = Topics.requireValidId(site, "site");
        this.store = Objects.requireNonNull(store, "store");
        Objects.requireNonNull(publisher, "publisher");
        this.results = Objects.requireNonNull(results, "results");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = new IngestMetrics(registry);
        // On the injected clock, so that tests drive it; 5 lines per kind of problem per minute.
        RateLimitedLog limitedLog = new RateLimitedLog(logger, 5, 60_000, registry, () -> clock.millis() * 1_000_000L);
        this.registration = new DeviceRegistration(store, clock, metrics, limitedLog);
        this.samples = new SampleApplier(
                clock, clockTolerance.toMillis(), metrics, limitedLog, Objects.requireNonNull(history, "history"));
        this.earlierBoots = new EarlierBootReplay(publisher, metrics);
        this.sequencing = new Sequencing(publisher, this.clock, metrics);
        // An admin's release of a device in conflict (StateStore.releaseOwnership) asks us whether its
        // owner is live and has us ask the claimants for their Births.
        store.handover(new OwnershipHandover() {
            @Override
            public boolean connected(String agent) {
                return isConnected(agent);
            }

            @Override
            public void released(String deviceId, List<String> claimants) {
                logger.warn(
                        "device {} was released from its owner by an admin; {} claimed it and are asked for a fresh Birth",
                        deviceId,
                        claimants);
                askForBirths(claimants, RebirthReason.DEVICE_RELEASED);
            }
        });
        Gauge.builder("headroom.agents.connected", connectedAgents, AtomicInteger::get)
                .description("Agents with a live connection")
                .register(registry);
    }

    /** Agents with a live connection right now. */
    public int connectedAgents() {
        return connectedAgents.get();
    }

    /**
     * The agent's clock minus the controller's at its last live Data, in ms; {@code null} when
     * unknown.
     */
    public Long clockOffsetMillis(String agentId) {
        AgentSession session = sessions.get(agentId);
        return session == null ? null : session.clock.offsetMillis();
    }

    /** True while the agent has a live connection. */
    public boolean isConnected(String agentId) {
        AgentSession session = sessions.get(agentId);
        return session != null && session.connected;
    }

    @Override
    public void agentConnected(String agentId) {
        try {
            AgentSession session = session(agentId);
            synchronized (session) {
                if (!session.connected) {
                    session.connected = true;
                    connectedAgents.incrementAndGet();
                }
                session.awaitingBirth = true;
            }
        } catch (RuntimeException e) {
            internalError(agentId, "connect", e);
        }
    }

    @Override
    public void agentDisconnected(String agentId, boolean graceful) {
        try {
            AgentSession session = sessions.get(agentId);
            if (session == null) {
                return;
            }
            synchronized (session) {
                if (session.connected) {
                    session.connected = false;
                    connectedAgents.decrementAndGet();
                }
                session.awaitingBirth = true;
                String message = "agent " + agentId + (graceful ? " disconnected" : " connection lost");
                Instant now = clock.instant();
                int marked = 0;
                for (DeviceRecord device : session.devices) {
                    if (device.markStaleIfLive(AGENT_DISCONNECTED, message, now)) {
                        marked++;
                    }
                }
                if (marked > 0) {
                    logger.info("{}: {} device(s) now STALE", message, marked);
                }
            }
        } catch (RuntimeException e) {
            internalError(agentId, "disconnect", e);
        }
    }

    @Override
    public void agentMessage(Topic.AgentTopic topic, ByteBuffer payload) {
        try {
            if (!site.equals(topic.site())) {
                metrics.message(topic.kind(), MessageOutcome.REJECTED).increment();
                return;
            }
            AgentSession session = session(topic.agent());
            switch (topic.kind()) {
                case BIRTH:
                    onBirth(session, payload);
                    break;
                case DATA:
                    onData(session, payload);
                    break;
                case RESULT:
                    onResult(session, payload);
                    break;
                case DEATH:
                    onDeath(session, payload);
                    break;
                default:
                    metrics.message(topic.kind(), MessageOutcome.REJECTED).increment();
                    break;
            }
        } catch (RuntimeException e) {
            internalError(topic.agent(), topic.kind().wireName(), e);
        }
    }

    private AgentSession session(String agentId) {
        AgentSession session = sessions.get(agentId);
        if (session == null) {
            session = sessions.computeIfAbsent(
                    agentId, id -> new AgentSession(id, Topics.agent(site, id, TopicKind.ACK)));
        }
        return session;
    }

    // ---------------------------------------------------------------- birth

    private void onBirth(AgentSession session, ByteBuffer payload) {
        // Outside the birth's own lock: claimants are other sessions, and two births never wait on each other.
        askForBirths(registerBirth(session, payload), RebirthReason.DEVICE_RELEASED);
    }

    /** Asks each of {@code agents} that has a session for a rebirth; takes each session's lock in turn. */
    private void askForBirths(List<String> agents, RebirthReason reason) {
        for (String claimant : agents) {
            AgentSession other = sessions.get(claimant);
            if (other != null) {
                synchronized (other) {
                    sequencing.requestRebirth(other, other.bootId, reason);
                }
            }
        }
    }

    /** Handles a Birth; returns agents to ask for a rebirth because a device they claim was released. */
    private List<String> registerBirth(AgentSession session, ByteBuffer payload) {
        Birth birth;
        try {
            birth = WireCodec.decode(payload, Birth.class);
        } catch (MalformedPayloadException e) {
            synchronized (session) {
                malformed(session, TopicKind.BIRTH, e);
                sequencing.requestRebirth(session, session.bootId, RebirthReason.MALFORMED_BIRTH);
            }
            return List.of();
        }
        synchronized (session) {
            if (!birth.getAgentId().equals(session.agentId)) {
                metrics.message(TopicKind.BIRTH, MessageOutcome.REJECTED).increment();
                if (session.firstWarning("agent-id:" + birth.getAgentId())) {
                    logger.warn("agent {}: birth names agent_id '{}'; dropped", session.agentId, birth.getAgentId());
                }
                return List.of();
            }
            if (!sequencing.admitBirth(session, birth)) {
                return List.of();
            }
            List<String> released = registration.register(session, birth);
            session.awaitingBirth = false;
            metrics.message(TopicKind.BIRTH, MessageOutcome.ACCEPTED).increment();
            sequencing.ack(session);
            return released;
        }
    }

    // ---------------------------------------------------------------- data

    private void onData(AgentSession session, ByteBuffer payload) {
        synchronized (session) {
            // Decoded into the session's reused frame (D63), so under its lock: an agent's messages are
            // taken in one at a time anyway.
            DataFrame data = session.frame;
            try {
                data.decode(payload);
            } catch (MalformedPayloadException e) {
                malformed(session, TopicKind.DATA, e);
                return;
            }
            if (data.historical() && EarlierBootReplay.earlierBoot(session, data.bootId())) {
                if (earlierBoots.admit(session, TopicKind.DATA, data.bootId(), data.seq())) {
                    metrics.samples(SampleOutcome.HISTORICAL).increment(data.sampleCount());
                }
                return;
            }
            SequenceWindow.Offer offer = sequencing.admit(session, TopicKind.DATA, data.bootId(), data.seq());
            if (offer == null) {
                return;
            }
            boolean unknownAlias = false;
            if (data.historical()) {
                // Replays from the agent's store are history: recorded upstream, never control input.
                metrics.samples(SampleOutcome.HISTORICAL).increment(data.sampleCount());
            } else {
                unknownAlias = samples.apply(session, data);
            }
            metrics.message(TopicKind.DATA, MessageOutcome.ACCEPTED).increment();
            if (offer == SequenceWindow.Offer.AHEAD) {
                sequencing.requestRebirth(session, session.bootId, RebirthReason.SEQUENCE_GAP);
            } else if (unknownAlias) {
                sequencing.requestRebirth(session, session.bootId, RebirthReason.UNKNOWN_ALIAS);
            } else {
                sequencing.ack(session);
            }
        }
    }

    // ---------------------------------------------------------------- result

    private void onResult(AgentSession session, ByteBuffer payload) {
        Result result;
        try {
            result = WireCodec.decode(payload, Result.class);
        } catch (MalformedPayloadException e) {
            synchronized (session) {
                malformed(session, TopicKind.RESULT, e);
            }
            return;
        }
        synchronized (session) {
            if (EarlierBootReplay.earlierBoot(session, result.getBootId())) {
                // A result of an earlier boot can only come from the agent's outbox: late, still true.
                if (earlierBoots.admit(session, TopicKind.RESULT, result.getBootId(), result.getSeq())) {
                    try {
                        results.commandResult(session.agentId, result);
                    } catch (RuntimeException e) {
                        internalError(session.agentId, "result listener", e);
                    }
                }
                return;
            }
            SequenceWindow.Offer offer =
                    sequencing.admit(session, TopicKind.RESULT, result.getBootId(), result.getSeq());
            if (offer == null) {
                return;
            }
            metrics.message(TopicKind.RESULT, MessageOutcome.ACCEPTED).increment();
            try {
                results.commandResult(session.agentId, result);
            } catch (RuntimeException e) {
                internalError(session.agentId, "result listener", e);
            }
            if (offer == SequenceWindow.Offer.AHEAD) {
                sequencing.requestRebirth(session, session.bootId, RebirthReason.SEQUENCE_GAP);
            } else {
                sequencing.ack(session);
            }
        }
    }

    // ---------------------------------------------------------------- death

    private void onDeath(AgentSession session, ByteBuffer payload) {
        Death death;
        try {
            death = WireCodec.decode(payload, Death.class);
        } catch (MalformedPayloadException e) {
            synchronized (session) {
                malformed(session, TopicKind.DEATH, e);
            }
            return;
        }
        synchronized (session) {
            if (!death.getAgentId().equals(session.agentId)) {
                metrics.message(TopicKind.DEATH, MessageOutcome.REJECTED).increment();
                return;
            }
            boolean current = session.bootId == 0
                    || (death.getBootId() == session.bootId && death.getSession() == session.session);
            if (!current) {
                // The Will of a connection that a newer birth has already replaced.
                metrics.message(TopicKind.DEATH, MessageOutcome.IGNORED).increment();
                return;
            }
            metrics.message(TopicKind.DEATH, MessageOutcome.ACCEPTED).increment();
            session.awaitingBirth = true;
            String reason = death.getReason().isEmpty() ? AGENT_DEATH : death.getReason();
            String message = death.getReason().isEmpty()
                    ? "agent " + session.agentId + " died (MQTT Will)"
                    : "agent " + session.agentId + " said goodbye: " + death.getReason();
            Instant now = clock.instant();
            for (DeviceRecord device : session.devices) {
                device.setStatus(DeviceState.STALE, reason, message, now);
            }
            if (!session.devices.isEmpty()) {
                logger.info("{}: {} device(s) now STALE", message, session.devices.size());
            }
        }
    }

    private void malformed(AgentSession session, TopicKind kind, MalformedPayloadException e) {
        metrics.message(kind, MessageOutcome.MALFORMED).increment();
        if (session.firstWarning("malformed:" + kind.wireName() + ':' + e.reason())) {
            logger.warn("agent {}: malformed {} dropped: {}", session.agentId, kind.wireName(), e.getMessage());
        }
    }

    private void internalError(String agentId, String what, RuntimeException e) {
        metrics.internalErrors.increment();
        logger.error("agent {}: handling {} failed", agentId, what, e);
    }
}
