package io.headroom.agent.publish;

import com.google.protobuf.Message;
import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.publish.MqttPublisher.IncomingCommand;
import io.headroom.agent.publish.outbox.DropReason;
import io.headroom.agent.publish.outbox.Outbox;
import io.headroom.agent.publish.outbox.OutboxMetrics;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.Result;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's protocol session with the controller ({@code headroom.proto}): when a Birth goes
 * out, what goes into each Data, the boot's sequence numbers, what the controller's acks and
 * re-birth requests do, and the {@link Outbox} that keeps everything unacknowledged.
 *
 * <p>Kept apart from {@link MqttPublisher}, the agent's handle on it, which owns the thread,
 * start-up and shutdown. It delegates the connection's life to {@link BrokerConnection}, flow
 * control and the replay cursor to {@link SendWindow}, what arrives from the controller to
 * {@link ControllerInbox}, and the Birth's contents to {@link BirthBuilder}. Everything runs on the
 * publisher's thread ("headroom-agent-mqtt") except where it says so, so no lock is needed.
 */
final class ProtocolSession {
    private static final long REBIRTH_DEBOUNCE_MILLIS = 1_000;

    // The publisher's logger, so that its log configuration covers the session too.
    private final Logger logger = LoggerFactory.getLogger(MqttPublisher.class);
    private final AgentConfig config;

    private final TelemetryBuffer telemetry;
    private final Outbox outbox;
    private final AliasRegistry aliases = new AliasRegistry();
    private final BirthBuilder births;
    private final Clock clock;
    private final ControllerInbox inbox;
    private final SendWindow window;
    private final PahoCloser pahoCalls;
    private final BrokerConnection connection;
    private final Consumer<Runnable> toLoop;
    private final long firstBirthHoldoffNanos;
    private final long bootId;

    private long nextSeq = 1;
    /** Connected and subscribed: a Birth may go out. */
    private boolean subscribed;
    /** Born on the current connection: data and results may go out. */
    private boolean ready;
    /**
     * A connection attempt failed or a connection was lost, and no Birth has gone out since: batches
     * are made and kept (store and forward). Before the first attempt's outcome readings only
     * accumulate, so that the first Birth of a boot comes before its first Data.
     */
    private boolean offline;

    private boolean startupComplete;
    private long startedNanos;

    private boolean statusRefreshDue = true;
    private long lastFullRefreshMillis;
    private long lastRebirthMillis = Long.MIN_VALUE / 2;

    private volatile int outboxDepth;
    /** Drops already reported in the log, and when: a bound is reported at most once a minute. */
    private long dropsLogged;

    private long dropsLoggedAtMillis = Long.MIN_VALUE / 2;

    /** @param post hands work to the publisher's thread; after it stopped, drops it */
    ProtocolSession(
            AgentConfig config,
            BrokerLink link,
            Supplier<List<BirthDevice>> devices,
            TelemetryBuffer telemetry,
            long firstBirthHoldoffNanos,
            Clock clock,
            Outbox outbox,
            long bootId,
            ScheduledExecutorService loop,
            Consumer<Runnable> post,
            PahoCloser pahoCalls,
            MeterRegistry registry,
            Consumer<IncomingCommand> commands) {
        this.config = config;
        this.firstBirthHoldoffNanos = firstBirthHoldoffNanos;
        this.telemetry = telemetry;
        this.births = new BirthBuilder(config.agentId(), devices, telemetry, aliases);
        this.clock = clock;
        this.outbox = outbox;
        this.bootId = bootId;
        this.toLoop = post;
        this.pahoCalls = pahoCalls;
        this.connection = new BrokerConnection(
                config, link, bootId, new ConnectionEvents(), loop, this::post, pahoCalls, registry);
        OutboxMetrics.register(registry, outbox, clock);
        this.window = new SendWindow(outbox, registry);
        this.inbox = new ControllerInbox(commands, ack -> post(() -> onAck(ack)), registry);
    }

    BrokerConnection connection() {
        return connection;
    }

    ControllerInbox inbox() {
        return inbox;
    }

    /** Messages kept until the controller acknowledges them; read from any thread. */
    int outboxDepth() {
        return outboxDepth;
    }

    /** The first Birth's hold-off counts from here; called by {@link MqttPublisher#start()}. */
    void start() {
        startedNanos = System.nanoTime();
    }

    /** A command result: it gets the next seq and stays in the outbox until acked, like telemetry. */
    void publishResult(Result.Builder result) {
        Result message = result.setBootId(bootId)
                .setSeq(nextSeq++)
                .setTimestampMs(clock.millis())
                .build();
        keep(message);
        pump();
    }

    /** Every batch interval: the outbox's own housekeeping, then the next Data. */
    void tick() {
        outbox.tick();
        outboxChanged();
        flushBatch();
    }

    // ---- connection events ------------------------------------------------------------------

    /** The publisher's side of the connection's events; all but {@code message} on the loop. */
    private final class ConnectionEvents implements BrokerConnection.Listener {
        @Override
        public void accepted(Integer receiveMaximum) {
            window.connected(receiveMaximum);
        }

        @Override
        public void subscribed() {
            subscribed = true;
            if (startupComplete()) {
                birthAndResend();
            } else {
                logger.debug("first Birth waits for every device's first poll");
            }
        }

        @Override
        public void attemptFailed() {
            offline = true;
        }

        @Override
        public void lost() {
            subscribed = false;
            ready = false;
            offline = true;
            window.clear();
        }

        @Override
        public int kept() {
            return outbox.size();
        }

        @Override
        public void message(String topic, MqttMessage message) {
            inbox.onMessage(topic, message);
        }
    }

    /**
     * The first Birth of a boot waits until every device has been polled once, or the hold-off
     * has passed, so that it declares every metric at once; afterwards this stays true.
     */
    private boolean startupComplete() {
        if (!startupComplete) {
            startupComplete = telemetry.allPolled() || System.nanoTime() - startedNanos >= firstBirthHoldoffNanos;
        }
        return startupComplete;
    }

    // ---- births, batches, acks --------------------------------------------------------------

    /**
     * Publishes a Birth, then everything still unacknowledged, oldest first (earlier boots' records
     * before this boot's), as replays: the send cursor starts over at the outbox's oldest record.
     */
    private void birthAndResend() {
        ready = true;
        offline = false;
        window.restartReplay(); // Records already taken from the outbox come again, after the Birth.
        publishBirth();
    }

    private void publishBirth() {
        births.declareAll();
        long seq = nextSeq++;
        Birth.Builder birth = births.build(
                bootId, seq, connection.session(), outbox.lowestSeq(bootId).orElse(seq), clock.millis());
        statusRefreshDue = true;
        logger.debug(
                "Birth seq {} of session {}, pending from {}", seq, connection.session(), birth.getPendingFromSeq());
        enqueue(TopicKind.BIRTH, birth.build());
    }

    private void flushBatch() {
        if (!startupComplete()) {
            return; // Readings accumulate (latest value wins) until the first Birth could declare them all.
        }
        if (subscribed && !ready) {
            birthAndResend();
        }
        if (!ready && !offline) {
            return; // Connecting for the first time: the Birth comes first, readings wait for it.
        }
        long now = clock.millis();
        boolean fullRefresh = now - lastFullRefreshMillis
                >= config.publish().fullRefreshInterval().toMillis();
        if (fullRefresh) {
            lastFullRefreshMillis = now;
        }
        Data.Builder batch = Data.newBuilder().setBootId(bootId).setTimestampMs(now);
        int added = telemetry.drainReadings(batch, aliases, fullRefresh);
        if (ready && aliases.hasUndeclared()) {
            // New metrics (first poll, a board came back): declare them before using their aliases.
            // Offline, the next connection's Birth declares them (declareAll); the batch is history.
            publishBirth();
        }
        // Statuses after any Birth, so that the first Data after every Birth carries them all.
        added += telemetry.drainStatuses(batch, fullRefresh || statusRefreshDue);
        statusRefreshDue = false;
        if (added == 0) {
            return;
        }
        Data data = batch.setSeq(nextSeq++).build();
        keep(data);
        pump();
    }

    private void keep(Message message) {
        outbox.append(message);
        outboxChanged();
    }

    private void onAck(Ack ack) {
        if (ack.getBootId() != bootId) {
            // Records of an earlier boot, replayed as history and taken in. A rebirth asked for in
            // that boot's name is not this boot's to answer: answering it would loop.
            outbox.ackThrough(ack.getBootId(), ack.getSeq());
            outboxChanged();
            return;
        }
        outbox.ackThrough(bootId, ack.getSeq());
        outboxChanged();
        if (ack.getRebirth() && ready) {
            long now = clock.millis();
            if (now - lastRebirthMillis >= REBIRTH_DEBOUNCE_MILLIS) {
                lastRebirthMillis = now;
                logger.info("controller asked for a re-birth ({})", ack.getRebirthReason());
                birthAndResend();
            }
        }
    }

    private void outboxChanged() {
        outboxDepth = outbox.size();
        long drops = 0;
        for (DropReason reason : DropReason.values()) {
            drops += outbox.dropped(reason);
        }
        long now = clock.millis();
        if (drops > dropsLogged && now - dropsLoggedAtMillis >= 60_000) {
            logger.warn(
                    "outbox over its bound: {} records dropped since the last report (oldest telemetry first);"
                            + " {} kept, {} bytes",
                    drops - dropsLogged,
                    outbox.size(),
                    outbox.bytes());
            dropsLogged = drops;
            dropsLoggedAtMillis = now;
        }
    }

    // ---- sending ----------------------------------------------------------------------------

    private void enqueue(TopicKind kind, Message message) {
        if (!ready) {
            return; // The next connection re-births.
        }
        window.add(kind, message);
        pump();
    }

    private void pump() {
        if (!ready) {
            return;
        }
        MqttAsyncClient current = connection.current();
        try {
            window.pump((kind, payload) ->
                    current.publish(topic(kind), payload, 1, false, null, new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            post(() -> delivered(current));
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable failure) {
                            post(() -> delivered(current));
                        }
                    }));
        } catch (MqttException e) {
            logger.debug("publish failed: {}", e.getMessage());
            connection.lost(current, DisconnectReason.lost(e));
        }
    }

    private void delivered(MqttAsyncClient from) {
        if (from != connection.current()) {
            return;
        }
        window.delivered();
        pump();
    }

    private String topic(TopicKind kind) {
        return Topics.agent(config.site(), config.agentId(), kind).toWire();
    }

    // ---- shutdown -----------------------------------------------------------------------------

    /** Stops the connection and says goodbye with a Death, if connected. */
    void goodbye() {
        MqttAsyncClient current = connection.stop();
        subscribed = false;
        ready = false;
        if (current == null) {
            return;
        }
        byte[] death = WireCodec.encode(Death.newBuilder()
                .setAgentId(config.agentId())
                .setBootId(bootId)
                .setSession(connection.session())
                .setReason("shutdown")
                .build());
        pahoCalls.goodbye(current, topic(TopicKind.DEATH), death, config.mqtt().url());
    }

    private void post(Runnable task) {
        toLoop.accept(task);
    }
}
