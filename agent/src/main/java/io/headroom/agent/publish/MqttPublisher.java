package io.headroom.agent.publish;

import com.google.protobuf.Message;
import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.publish.outbox.DropReason;
import io.headroom.agent.publish.outbox.Outbox;
import io.headroom.agent.publish.outbox.OutboxMetrics;
import io.headroom.agent.publish.outbox.OutboxSnapshot;
import io.headroom.agent.publish.outbox.Outboxes;
import io.headroom.agent.tls.TlsSetupException;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.Result;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * The agent's side of the wire protocol over Paho MQTT 5: connects with a Will, births, batches
 * data, keeps everything unacknowledged in the {@link Outbox} and resends it after a reconnect or a
 * re-birth request, and hands commands to the command executor.
 *
 * <p>Batches are made whether or not the controller is reachable: while it is not, they go to the
 * outbox only (store and forward). Every Data and Result is sent from the outbox, in the order it
 * was kept, through one cursor; what was kept before the connection's Birth is flagged historical.
 *
 * <p>One thread ("headroom-agent-mqtt") owns every piece of state here; Paho's callbacks only
 * hand work to it, so no callback ever blocks Paho and no lock is needed.
 *
 * <p>The publisher owns the protocol session (when a Birth goes out, batches, sequence numbers,
 * acks, the outbox). It delegates the connection's life to {@link BrokerConnection}, flow control
 * and the replay cursor to {@link SendWindow}, what arrives from the controller to
 * {@link ControllerInbox}, the Birth's contents to {@link BirthBuilder}, and Paho's blocking
 * shutdown calls to {@link PahoCloser}; all run on the same thread except where they say so.
 */
public final class MqttPublisher implements AutoCloseable {
    private static final long REBIRTH_DEBOUNCE_MILLIS = 1_000;

    private final Logger logger = LoggerFactory.getLogger(MqttPublisher.class);
    private final AgentConfig config;

    private final TelemetryBuffer telemetry;
    private final Outbox outbox;
    private final AliasRegistry aliases = new AliasRegistry();
    private final BirthBuilder births;
    private final Clock clock;
    private final ControllerInbox inbox;
    private final SendWindow window;
    private final ScheduledExecutorService loop;
    private final PahoCloser pahoCalls;
    private final BrokerConnection connection;
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
    private ScheduledFuture<?> batchTask;

    private volatile int outboxDepth;
    /** Drops already reported in the log, and when: a bound is reported at most once a minute. */
    private long dropsLogged;

    private long dropsLoggedAtMillis = Long.MIN_VALUE / 2;

    /** As the full constructor, with devices whose facts never change. */
    public MqttPublisher(
            AgentConfig config,
            List<BirthDevice> devices,
            TelemetryBuffer telemetry,
            byte[] password,
            Duration firstBirthHoldoff,
            Clock clock,
            MeterRegistry registry,
            Consumer<IncomingCommand> commands)
            throws TlsSetupException {
        this(config, fixed(devices), telemetry, password, firstBirthHoldoff, clock, registry, commands);
    }

    /** As the full constructor, with devices whose facts never change and this outbox (which it then owns). */
    public MqttPublisher(
            AgentConfig config,
            List<BirthDevice> devices,
            TelemetryBuffer telemetry,
            byte[] password,
            Duration firstBirthHoldoff,
            Clock clock,
            MeterRegistry registry,
            Consumer<IncomingCommand> commands,
            Outbox outbox)
            throws TlsSetupException {
        this(config, fixed(devices), telemetry, password, firstBirthHoldoff, clock, registry, commands, outbox);
    }

    /**
     * As {@link #MqttPublisher(AgentConfig, Supplier, TelemetryBuffer, byte[], Duration, Clock, MeterRegistry,
     * Consumer, Outbox)}, with the outbox {@code config.outbox()} describes.
     */
    public MqttPublisher(
            AgentConfig config,
            Supplier<List<BirthDevice>> devices,
            TelemetryBuffer telemetry,
            byte[] password,
            Duration firstBirthHoldoff,
            Clock clock,
            MeterRegistry registry,
            Consumer<IncomingCommand> commands)
            throws TlsSetupException {
        this(
                config,
                devices,
                telemetry,
                password,
                firstBirthHoldoff,
                clock,
                registry,
                commands,
                Outboxes.open(config.outbox(), config.publish().maxUnacked(), clock));
    }

    private static Supplier<List<BirthDevice>> fixed(List<BirthDevice> devices) {
        List<BirthDevice> copy = List.copyOf(devices);
        return () -> copy;
    }

    /**
     * @param devices what each Birth says about the devices, asked for at every Birth: a device
     *     configured with {@code profile: auto} gets its profile once it has been identified
     * @param telemetry the latest readings; the publisher's only input of telemetry
     * @param password the MQTT password (copied; never logged)
     * @param firstBirthHoldoff how long after {@link #start()} the first Birth waits for every
     *     device's first poll, so that it declares every metric at once (typically the longest
     *     poll interval); it goes out earlier as soon as every device has been polled
     * @param commands receives each command that arrives on the agent's {@code cmd} topic;
     *     called on Paho's thread and must hand off at once
     * @param outbox where unacknowledged Data and Results are kept; the publisher closes it
     * @throws TlsSetupException if a TLS file of {@code mqtt.tls} cannot be used; it names the file
     */
    public MqttPublisher(
            AgentConfig config,
            Supplier<List<BirthDevice>> devices,
            TelemetryBuffer telemetry,
            byte[] password,
            Duration firstBirthHoldoff,
            Clock clock,
            MeterRegistry registry,
            Consumer<IncomingCommand> commands,
            Outbox outbox)
            throws TlsSetupException {
        this.config = config;
        // Built before anything starts: a bad certificate or key stops the agent at start-up.
        BrokerLink link = new BrokerLink(config, password);
        this.firstBirthHoldoffNanos = firstBirthHoldoff.toNanos();
        this.telemetry = telemetry;
        this.births = new BirthBuilder(config.agentId(), devices, telemetry, aliases);
        this.clock = clock;
        this.outbox = outbox;
        long boot = 0;
        SecureRandom random = new SecureRandom();
        while (boot == 0) {
            boot = random.nextLong();
        }
        this.bootId = boot;
        this.loop = Executors.newSingleThreadScheduledExecutor(daemon("headroom-agent-mqtt"));
        // Paho's blocking calls (close, disconnect) never run on the loop.
        this.pahoCalls = new PahoCloser(daemon("headroom-agent-paho"));

        this.connection = new BrokerConnection(
                config, link, bootId, new ConnectionEvents(), loop, this::post, pahoCalls, registry);
        OutboxMetrics.register(registry, outbox, clock);
        this.window = new SendWindow(outbox, registry);
        this.inbox = new ControllerInbox(commands, ack -> post(() -> onAck(ack)), registry);
    }

    /** Connects (retrying with backoff until it works) and starts batching. */
    public void start() {
        startedNanos = System.nanoTime();
        post(connection::connect);
        long interval = config.publish().batchInterval().toMillis();
        batchTask = loop.scheduleWithFixedDelay(this::guarded, interval, interval, TimeUnit.MILLISECONDS);
    }

    public long bootId() {
        return bootId;
    }

    /** True while connected to the endpoint (born or about to be). */
    public boolean connected() {
        return connection.connected();
    }

    /**
     * Why the agent is not connected, e.g. {@code TLS handshake with 127.0.0.1:8883 failed: server
     * certificate is not trusted by the CA in /etc/headroom/ca.pem}; empty while connected and
     * before the first attempt has failed.
     */
    public Optional<String> connectionProblem() {
        return connection.connectionProblem();
    }

    /** Messages kept until the controller acknowledges them. */
    public int unackedCount() {
        return outboxDepth;
    }

    /** The outbox's depth, bytes, drops and quarantined segments, for {@code /health}. Thread-safe. */
    public OutboxSnapshot outboxSnapshot() {
        return OutboxSnapshot.of(outbox, clock);
    }

    /** The last controller state received (retained), or {@code null} before any. */
    public ControllerState controllerState() {
        return inbox.controllerState();
    }

    /**
     * The last controller state received with its monotonic receipt time, empty before any; what the
     * lease is judged from. Thread-safe.
     */
    public Optional<ControllerStateReceipt> controllerStateReceipt() {
        return Optional.ofNullable(inbox.controllerStateReceipt());
    }

    /** True when the last controller state received says a controller is in charge. */
    public boolean controllerOnline() {
        ControllerState state = inbox.controllerState();
        return state != null && state.getOnline();
    }

    /**
     * How long caps and sleeps may be held without a newer controller state, from the last state
     * received; zero before any. Exposed for the fail-safe; nothing here enforces it.
     */
    public Duration controllerLease() {
        ControllerState state = inbox.controllerState();
        return state == null ? Duration.ZERO : Duration.ofMillis(state.getLeaseMs());
    }

    /**
     * Publishes a command result: it gets the next seq and stays in the outbox until acked, like
     * telemetry. Thread-safe.
     */
    public void publishResult(Result.Builder result) {
        post(() -> {
            Result message = result.setBootId(bootId)
                    .setSeq(nextSeq++)
                    .setTimestampMs(clock.millis())
                    .build();
            keep(message);
            pump();
        });
    }

    private void guarded() {
        try {
            outbox.tick();
            outboxChanged();
            flushBatch();
        } catch (RuntimeException e) {
            logger.warn("building a telemetry batch failed", e);
        }
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

    /** Says goodbye with a Death, disconnects normally, and stops. Idempotent. */
    @Override
    public void close() {
        if (loop.isShutdown()) {
            return;
        }
        try {
            loop.submit(this::goodbye).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            logger.debug("clean MQTT shutdown did not finish: {}", e.toString());
        }
        loop.shutdownNow();
        pahoCalls.shutdown();
        try {
            loop.awaitTermination(3, TimeUnit.SECONDS);
            pahoCalls.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            outbox.close();
        }
    }

    private void goodbye() {
        if (batchTask != null) {
            batchTask.cancel(false);
        }
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

    /** Hands work to the publisher's thread; after {@link #close()} there is none, and none is needed. */
    private void post(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException stopped) {
            logger.debug("publisher stopped; dropping a late callback");
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * A command as it arrived: raw payload, receipt time on the monotonic clock, and the MQTT 5
     * message expiry interval the broker forwarded (seconds), if any.
     */
    public record IncomingCommand(byte[] payload, long receivedNanos, Long expiryIntervalSeconds) {}
}
