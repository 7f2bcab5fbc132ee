package io.headroom.agent.publish;

import com.google.protobuf.Message;
import io.headroom.agent.AgentVersion;
import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.publish.outbox.DropReason;
import io.headroom.agent.publish.outbox.Outbox;
import io.headroom.agent.publish.outbox.OutboxMetrics;
import io.headroom.agent.publish.outbox.OutboxSnapshot;
import io.headroom.agent.publish.outbox.Outboxes;
import io.headroom.agent.tls.TlsSetupException;
import io.headroom.protocol.MalformedPayloadException;
import io.headroom.protocol.MalformedTopicException;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.Result;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
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
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
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
 */
public final class MqttPublisher implements AutoCloseable {
    /**
     * Our own cap on unacknowledged PUBLISHes; the broker's Receive Maximum (CONNACK) may lower it
     * (mosquitto's default is 20), and Paho refuses a publish beyond that.
     */
    private static final int MAX_IN_FLIGHT = 32;

    private static final long REBIRTH_DEBOUNCE_MILLIS = 1_000;

    private final Logger logger = LoggerFactory.getLogger(MqttPublisher.class);
    private final AgentConfig config;
    private final BrokerLink link;

    private final String agentVersion = AgentVersion.current();
    private final Supplier<List<BirthDevice>> devices;
    private final TelemetryBuffer telemetry;
    private final Outbox outbox;
    private final AliasRegistry aliases = new AliasRegistry();
    private final Clock clock;
    private final Consumer<IncomingCommand> commands;
    private final ScheduledExecutorService loop;
    private final ExecutorService pahoCalls;
    private final ReconnectBackoff backoff;
    private final long firstBirthHoldoffNanos;
    private final long bootId;

    private final ArrayDeque<Outgoing> sendQueue = new ArrayDeque<>();
    private MqttAsyncClient client;
    private long nextSeq = 1;
    /**
     * Number of the current (or last) accepted connection of this boot. An attempt carries
     * {@code session + 1} in its Will and takes the number only once the CONNACK accepts it: a
     * refused attempt has no Will to publish, so reusing its number is safe, and each accepted
     * connection is exactly one more than the last.
     */
    private long session;

    private long attemptSession;
    private int inFlight;
    /** The in-flight window of the current connection: ours, capped by the broker's Receive Maximum. */
    private int inFlightLimit = MAX_IN_FLIGHT;
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
    private boolean connectFailureLogged;
    /** The last TLS failure logged at warn in this outage: a different one is logged again. */
    private String loggedTlsFailure;

    private boolean statusRefreshDue = true;
    private long lastFullRefreshMillis;
    private long lastRebirthMillis = Long.MIN_VALUE / 2;
    private boolean closed;
    private ScheduledFuture<?> batchTask;

    private volatile boolean connected;
    private volatile int outboxDepth;
    private volatile ControllerState controllerState;
    private volatile String connectionProblem;

    private final Counter reconnects;
    /** Drops already reported in the log, and when: a bound is reported at most once a minute. */
    private long dropsLogged;

    private long dropsLoggedAtMillis = Long.MIN_VALUE / 2;
    /** Ordinal of the last outbox record put in the send queue on this connection. */
    private long replayCursor;
    /** Records up to this ordinal were kept before the current Birth: they go out as history. */
    private long replayMark;

    private final Counter malformedAcks;
    private final Counter malformedStates;
    private final Map<TopicKind, Counter> published = new EnumMap<>(TopicKind.class);

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
        this.link = new BrokerLink(config, password);
        this.firstBirthHoldoffNanos = firstBirthHoldoff.toNanos();
        this.devices = devices;
        this.telemetry = telemetry;
        this.clock = clock;
        this.commands = commands;
        this.outbox = outbox;
        this.backoff =
                new ReconnectBackoff(config.mqtt().reconnectMin(), config.mqtt().reconnectMax());
        long boot = 0;
        SecureRandom random = new SecureRandom();
        while (boot == 0) {
            boot = random.nextLong();
        }
        this.bootId = boot;
        this.loop = Executors.newSingleThreadScheduledExecutor(daemon("headroom-agent-mqtt"));
        // Paho's blocking calls (close, disconnect) never run on the loop.
        this.pahoCalls = Executors.newSingleThreadExecutor(daemon("headroom-agent-paho"));

        Gauge.builder("headroom.agent.mqtt.connected", this, p -> p.connected ? 1 : 0)
                .register(registry);
        OutboxMetrics.register(registry, () -> outbox, clock);
        this.reconnects = Counter.builder("headroom.agent.mqtt.reconnects").register(registry);
        for (TopicKind kind : TopicKind.values()) {
            if (kind.direction() == TopicKind.Direction.FROM_AGENT) {
                published.put(
                        kind,
                        Counter.builder("headroom.agent.messages.published")
                                .tag("kind", kind.wireName())
                                .register(registry));
            }
        }
        this.malformedAcks = Counter.builder("headroom.agent.messages.malformed")
                .tag("kind", "ack")
                .description("Messages from the controller that could not be decoded; dropped")
                .register(registry);
        this.malformedStates = Counter.builder("headroom.agent.messages.malformed")
                .tag("kind", "state")
                .description("Messages from the controller that could not be decoded; dropped")
                .register(registry);
    }

    /** Connects (retrying with backoff until it works) and starts batching. */
    public void start() {
        startedNanos = System.nanoTime();
        post(this::connect);
        long interval = config.publish().batchInterval().toMillis();
        batchTask = loop.scheduleWithFixedDelay(this::guarded, interval, interval, TimeUnit.MILLISECONDS);
    }

    public long bootId() {
        return bootId;
    }

    /** True while connected to the endpoint (born or about to be). */
    public boolean connected() {
        return connected;
    }

    /**
     * Why the agent is not connected, e.g. {@code TLS handshake with 127.0.0.1:8883 failed: server
     * certificate is not trusted by the CA in /etc/headroom/ca.pem}; empty while connected and
     * before the first attempt has failed.
     */
    public Optional<String> connectionProblem() {
        return Optional.ofNullable(connectionProblem);
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
        return controllerState;
    }

    /** True when the last controller state received says a controller is in charge. */
    public boolean controllerOnline() {
        ControllerState state = controllerState;
        return state != null && state.getOnline();
    }

    /**
     * How long caps and sleeps may be held without a newer controller state, from the last state
     * received; zero before any. Exposed for the fail-safe; nothing here enforces it.
     */
    public Duration controllerLease() {
        ControllerState state = controllerState;
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

    // ---- connection -------------------------------------------------------------------------

    private void connect() {
        if (closed) {
            return;
        }
        attemptSession = session + 1;
        String uri = link.pahoUri();
        MqttAsyncClient attempt;
        try {
            attempt = new MqttAsyncClient(uri, config.agentId(), new MemoryPersistence());
        } catch (MqttException e) {
            logger.error("cannot create an MQTT client for {}: {}", uri, e.getMessage());
            scheduleReconnect();
            return;
        }
        attempt.setCallback(new Callbacks(attempt));
        MqttMessage will = new MqttMessage(WireCodec.encode(Death.newBuilder()
                .setAgentId(config.agentId())
                .setBootId(bootId)
                .setSession(attemptSession)
                .build()));
        will.setQos(1);
        will.setRetained(false);
        MqttConnectionOptions options = link.options(topic(TopicKind.DEATH), will);
        client = attempt;
        try {
            attempt.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    MqttProperties connack = token.getResponseProperties();
                    Integer receiveMaximum = connack == null ? null : connack.getReceiveMaximum();
                    post(() -> onConnected(attempt, receiveMaximum));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    post(() -> onConnectFailed(attempt, failure));
                }
            });
        } catch (MqttException e) {
            onConnectFailed(attempt, e);
            return;
        }
        // Paho's connection timeout covers the TCP connect, not the CONNACK: through a partition
        // that swallows packets, an attempt would wait for it forever and the agent never retry.
        long limit = config.mqtt().connectTimeout().toMillis() + 1_000;
        loop.schedule(
                () -> {
                    if (attempt == client && !connected) {
                        onConnectFailed(
                                attempt,
                                new MqttException(
                                        MqttClientException.REASON_CODE_CLIENT_TIMEOUT,
                                        new java.util.concurrent.TimeoutException(
                                                "no CONNACK within " + Duration.ofMillis(limit))));
                    }
                },
                limit,
                TimeUnit.MILLISECONDS);
    }

    private void onConnectFailed(MqttAsyncClient attempt, Throwable failure) {
        if (attempt != client || closed) {
            return;
        }
        client = null; // One reconnect per failed attempt, however many callbacks report it.
        offline = true;
        Optional<String> tlsFailure = link.tlsFailure(failure);
        String reason = tlsFailure.orElseGet(
                () -> failure.getMessage() + (failure.getCause() == null ? "" : " (" + failure.getCause() + ")"));
        connectionProblem = reason;
        boolean newTlsFailure = tlsFailure.isPresent() && !reason.equals(loggedTlsFailure);
        if (connectFailureLogged && !newTlsFailure) {
            logger.debug("connecting to {} failed: {}", config.mqtt().url(), reason);
        } else {
            // Once per outage (or per new TLS failure): the retries that follow are counted, not logged.
            connectFailureLogged = true;
            loggedTlsFailure = tlsFailure.orElse(null);
            logger.warn(
                    "cannot connect to {}: {}; retrying with backoff up to {}",
                    config.mqtt().url(),
                    reason,
                    config.mqtt().reconnectMax());
            if (tlsFailure.isPresent()) {
                logger.debug("the TLS failure in the JDK's words", failure);
            }
        }
        closeQuietly(attempt);
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        long delay = backoff.nextDelayMillis();
        loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void onConnected(MqttAsyncClient attempt, Integer receiveMaximum) {
        if (attempt != client || closed) {
            if (attempt != client) {
                closeQuietly(attempt); // A CONNACK after its attempt was given up: not ours any more.
            }
            return;
        }
        // MQTT 5 §3.2.2.3.3: absent means 65,535.
        inFlightLimit = receiveMaximum == null ? MAX_IN_FLIGHT : Math.max(1, Math.min(MAX_IN_FLIGHT, receiveMaximum));
        session = attemptSession;
        connected = true;
        connectionProblem = null;
        connectFailureLogged = false;
        loggedTlsFailure = null;
        backoff.reset();
        if (session > 1) {
            reconnects.increment();
        }
        logger.info("connected to {} as {} (session {})", config.mqtt().url(), config.agentId(), session);
        String[] filters = {
            topic(TopicKind.CMD),
            topic(TopicKind.ACK),
            Topics.controllerState(config.site()).toWire()
        };
        try {
            // Subscribe before the Birth, so no command or ack sent in answer to it can be missed.
            attempt.subscribe(filters, new int[] {1, 1, 1}, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    post(() -> onSubscribed(attempt));
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    post(() -> {
                        logger.warn("subscribing to {} failed: {}", String.join(", ", filters), failure.getMessage());
                        lost(attempt, "subscribing failed: " + failure.getMessage());
                    });
                }
            });
        } catch (MqttException e) {
            logger.warn("subscribing failed: {}", e.getMessage());
            lost(attempt, "subscribing failed: " + e.getMessage());
        }
    }

    private void onSubscribed(MqttAsyncClient attempt) {
        if (attempt != client || closed) {
            return;
        }
        subscribed = true;
        if (startupComplete()) {
            birthAndResend();
        } else {
            logger.debug("first Birth waits for every device's first poll");
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

    /**
     * The connection is gone: forget what was queued (the outbox keeps it) and reconnect.
     *
     * @param why what ended it, e.g. {@code connection lost: java.io.EOFException} (see {@link DisconnectReason})
     */
    private void lost(MqttAsyncClient attempt, String why) {
        if (attempt != client) {
            return;
        }
        // A lost connection is reported more than once (a publish refused by the dead client, then
        // Paho's disconnected callback). Only the first may reconnect: a second, concurrent attempt
        // with the same client id would take the first one over, and the broker would publish the
        // taken-over connection's Will for the new session.
        client = null;
        if (connected) {
            connectionProblem = link.hostPort() + ": " + why;
            logger.warn("{}: {}; {} messages kept for resending", config.mqtt().url(), why, outbox.size());
            connectFailureLogged = true; // This warning covers the reconnect attempts too.
        }
        connected = false;
        subscribed = false;
        ready = false;
        offline = true;
        sendQueue.clear();
        inFlight = 0;
        closeQuietly(attempt);
        scheduleReconnect();
    }

    // ---- births, batches, acks --------------------------------------------------------------

    /**
     * Publishes a Birth, then everything still unacknowledged, oldest first (earlier boots' records
     * before this boot's), as replays: the send cursor starts over at the outbox's oldest record.
     */
    private void birthAndResend() {
        ready = true;
        offline = false;
        sendQueue.clear(); // Records already taken from the outbox come again, after the Birth.
        replayCursor = 0;
        replayMark = outbox.lastOrdinal();
        publishBirth();
    }

    /**
     * The next records of the outbox after the cursor, as they go on the wire: what was kept before
     * this connection's Birth is history, which the controller records but never controls on.
     */
    private boolean pullFromOutbox() {
        List<Outbox.Entry> entries = outbox.after(replayCursor, MAX_IN_FLIGHT);
        for (Outbox.Entry entry : entries) {
            replayCursor = entry.ordinal();
            Message message = entry.message();
            if (message instanceof Data data) {
                Data wire = entry.ordinal() <= replayMark && !data.getHistorical()
                        ? data.toBuilder().setHistorical(true).build()
                        : data;
                sendQueue.addLast(new Outgoing(TopicKind.DATA, WireCodec.encode(wire)));
            } else {
                sendQueue.addLast(new Outgoing(TopicKind.RESULT, WireCodec.encode(message)));
            }
        }
        return !entries.isEmpty();
    }

    private void publishBirth() {
        telemetry.declareAll(aliases);
        long seq = nextSeq++;
        Birth.Builder birth = Birth.newBuilder()
                .setAgentId(config.agentId())
                .setBootId(bootId)
                .setSeq(seq)
                .setTimestampMs(clock.millis())
                .setSession(session)
                .setPendingFromSeq(outbox.lowestSeq(bootId).orElse(seq))
                .setAgentVersion(agentVersion);
        for (BirthDevice device : devices.get()) {
            DeviceIdentity identity = telemetry.identity(device.id());
            birth.addDevices(DeviceDescriptor.newBuilder()
                    .setId(device.id())
                    .setKind(device.kind())
                    .setProfile(device.profile())
                    .setModel(identity == null ? "" : identity.model())
                    .setFirmware(identity == null ? "" : identity.firmware())
                    .setNameplatePowerW(device.nameplatePowerWatts())
                    .addAllMetrics(aliases.definitions(device.id()))
                    .addAllCapabilities(device.capabilities()));
        }
        aliases.markDeclared();
        statusRefreshDue = true;
        logger.debug("Birth seq {} of session {}, pending from {}", seq, session, birth.getPendingFromSeq());
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
        sendQueue.addLast(new Outgoing(kind, WireCodec.encode(message)));
        pump();
    }

    private void pump() {
        MqttAsyncClient current = client;
        while (ready && inFlight < inFlightLimit && (!sendQueue.isEmpty() || pullFromOutbox())) {
            Outgoing next = sendQueue.pollFirst();
            inFlight++;
            try {
                current.publish(topic(next.kind()), next.payload(), 1, false, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        post(() -> delivered(current));
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable failure) {
                        post(() -> delivered(current));
                    }
                });
                published.get(next.kind()).increment();
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    // Flow control, not a lost connection: retry when the next PUBACK frees a slot.
                    inFlight--;
                    sendQueue.addFirst(next);
                    return;
                }
                logger.debug("publish failed: {}", e.getMessage());
                lost(current, DisconnectReason.lost(e));
                return;
            }
        }
    }

    private void delivered(MqttAsyncClient from) {
        if (from != client) {
            return;
        }
        inFlight = Math.max(0, inFlight - 1);
        pump();
    }

    private String topic(TopicKind kind) {
        return Topics.agent(config.site(), config.agentId(), kind).toWire();
    }

    // ---- incoming -----------------------------------------------------------------------------

    private void onMessage(String topicName, MqttMessage message) {
        Topic topic;
        try {
            topic = Topics.parse(topicName);
        } catch (MalformedTopicException e) {
            logger.debug("ignoring message on {}", topicName);
            return;
        }
        try {
            if (topic instanceof Topic.ControllerStateTopic) {
                ControllerState state = WireCodec.decode(message.getPayload(), ControllerState.class);
                ControllerState previous = controllerState;
                controllerState = state;
                if (previous == null || previous.getOnline() != state.getOnline()) {
                    logger.info(
                            "controller {} is {}", state.getControllerId(), state.getOnline() ? "online" : "offline");
                }
            } else if (((Topic.AgentTopic) topic).kind() == TopicKind.ACK) {
                Ack ack = WireCodec.decode(message.getPayload(), Ack.class);
                post(() -> onAck(ack));
            } else if (((Topic.AgentTopic) topic).kind() == TopicKind.CMD) {
                Long expiry = message.getProperties() == null
                        ? null
                        : message.getProperties().getMessageExpiryInterval();
                commands.accept(new IncomingCommand(message.getPayload(), System.nanoTime(), expiry));
            }
        } catch (MalformedPayloadException e) {
            (topic instanceof Topic.ControllerStateTopic ? malformedStates : malformedAcks).increment();
            logger.warn("dropping a malformed message on {}: {}", topicName, e.getMessage());
        }
    }

    /** Paho callbacks of one client instance; events of a replaced client are ignored. */
    private final class Callbacks implements MqttCallback {
        private final MqttAsyncClient owner;

        Callbacks(MqttAsyncClient owner) {
            this.owner = owner;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            String why = DisconnectReason.describe(response);
            post(() -> lost(owner, why));
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            logger.debug("MQTT error: {}", exception.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (owner == client) {
                onMessage(topic, message);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
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
        closed = true;
        if (batchTask != null) {
            batchTask.cancel(false);
        }
        MqttAsyncClient current = client;
        client = null;
        subscribed = false;
        ready = false;
        connected = false;
        if (current == null) {
            return;
        }
        pahoCalls.execute(() -> {
            try {
                if (current.isConnected()) {
                    byte[] death = WireCodec.encode(Death.newBuilder()
                            .setAgentId(config.agentId())
                            .setBootId(bootId)
                            .setSession(session)
                            .setReason("shutdown")
                            .build());
                    current.publish(topic(TopicKind.DEATH), death, 1, false).waitForCompletion(2_000);
                    current.disconnect(2_000).waitForCompletion(3_000);
                }
            } catch (MqttException e) {
                logger.debug("goodbye to {} incomplete: {}", config.mqtt().url(), e.getMessage());
            } finally {
                try {
                    current.close(true);
                } catch (MqttException e) {
                    logger.debug("closing the MQTT client: {}", e.getMessage());
                }
            }
        });
    }

    private void closeQuietly(MqttAsyncClient attempt) {
        pahoCalls.execute(() -> {
            try {
                // Also for an attempt still waiting for its CONNACK: this closes its socket, which
                // a partition would otherwise keep open for good.
                attempt.disconnectForcibly(0, 1_000, false);
            } catch (MqttException e) {
                logger.debug("disconnecting a dead MQTT client: {}", e.getMessage());
            }
            try {
                attempt.close(true);
            } catch (MqttException e) {
                logger.debug("closing a dead MQTT client: {}", e.getMessage());
            }
        });
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

    /** A message waiting for a free in-flight slot. */
    private record Outgoing(TopicKind kind, byte[] payload) {}

    /**
     * A command as it arrived: raw payload, receipt time on the monotonic clock, and the MQTT 5
     * message expiry interval the broker forwarded (seconds), if any.
     */
    public record IncomingCommand(byte[] payload, long receivedNanos, Long expiryIntervalSeconds) {}
}
