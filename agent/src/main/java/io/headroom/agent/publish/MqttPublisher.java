package io.headroom.agent.publish;

import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.publish.outbox.Outbox;
import io.headroom.agent.publish.outbox.OutboxSnapshot;
import io.headroom.agent.publish.outbox.Outboxes;
import io.headroom.agent.tls.TlsSetupException;
import io.headroom.protocol.wire.ControllerState;
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
 * <p>The publisher owns that thread, start-up and shutdown, and is the agent's handle on the
 * protocol session (when a Birth goes out, batches, sequence numbers, acks, the outbox), which is
 * {@link ProtocolSession}'s. Paho's blocking shutdown calls are {@link PahoCloser}'s; all run on
 * the same thread except where they say so.
 */
public final class MqttPublisher implements AutoCloseable {
    private final Logger logger = LoggerFactory.getLogger(MqttPublisher.class);
    private final AgentConfig config;

    private final Outbox outbox;
    private final Clock clock;
    private final ControllerInbox inbox;
    private final ScheduledExecutorService loop;
    private final PahoCloser pahoCalls;
    private final BrokerConnection connection;
    private final ProtocolSession session;
    private final long bootId;

    private ScheduledFuture<?> batchTask;

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

        this.session = new ProtocolSession(
                config,
                link,
                devices,
                telemetry,
                firstBirthHoldoff.toNanos(),
                clock,
                outbox,
                bootId,
                loop,
                this::post,
                pahoCalls,
                registry,
                commands);
        this.connection = session.connection();
        this.inbox = session.inbox();
    }

    /** Connects (retrying with backoff until it works) and starts batching. */
    public void start() {
        session.start();
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
        return session.outboxDepth();
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
        post(() -> session.publishResult(result));
    }

    private void guarded() {
        try {
            session.tick();
        } catch (RuntimeException e) {
            logger.warn("building a telemetry batch failed", e);
        }
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
        session.goodbye();
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
