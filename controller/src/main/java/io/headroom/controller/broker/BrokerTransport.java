package io.headroom.controller.broker;

import io.headroom.config.SecretResolver;
import io.headroom.controller.config.ExternalBrokerConfig;
import io.headroom.controller.grid.signal.GridSignalReceiver;
import io.headroom.controller.market.MarketPriceFeed;
import io.headroom.controller.transport.AgentMessageListener;
import io.headroom.controller.transport.ControllerPublisher;
import io.headroom.protocol.Topic;
import io.headroom.protocol.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller as a Paho MQTT 5 client of an external broker: the transport seam's other side
 * (docs/external-broker.md). It subscribes to the site's agent topics (as {@code $share/<group>/...}
 * when configured and granted), hands what arrives to the same {@link AgentMessageListener} as the
 * embedded endpoint (with liveness from Birth and Death, {@link AgentLiveness}), and publishes
 * commands, acks and the retained controller state.
 *
 * <p><b>Subscription QoS 0.</b> End-to-end delivery is the agents' outbox plus the application
 * {@code Ack}: a message the broker drops (or that is published while the controller is away) shows
 * as a sequence gap, ingest asks for a re-birth and the agent resends from its outbox. A QoS 1
 * subscription would add a second, redundant acknowledgement per message and a broker-side queue
 * per controller session (Debian's Mosquitto 2.0.11 falls over with one under load, issue 9), for
 * nothing the protocol does not already give. Publishes are QoS 1 and fire-and-forget: delivery of a
 * command is learned from its {@code Result}.
 *
 * <p><b>Connection.</b> One Paho client per attempt (Paho's own reconnect has no jitter and no
 * CONNACK timeout); a clean-start-false session with the configured expiry; the Will is the offline
 * controller state, retained, so agents learn of a controller that vanished from the broker. On each
 * connect the last retained message of each topic is published again (the Will may have replaced
 * it). An outage is logged once when it begins and once when it ends, counted
 * ({@code headroom.broker.outages}) and visible as {@link #connected()} (the {@code /health} status).
 *
 * <p>Thread-safe. {@link #publish} never blocks. Paho's callbacks only route messages; connecting,
 * closing and backoff happen on the transport's own thread.
 */
public final class BrokerTransport implements ControllerPublisher, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BrokerTransport.class);

    /** The QoS of the controller's subscriptions; see the class comment. */
    public static final int SUBSCRIPTION_QOS = 0;

    static final int PUBLISH_QOS = 1;
    private static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;
    private static final long CLOSE_QUIESCE_MILLIS = 2_000;

    private final ExternalBrokerConfig config;
    private final String url;
    private final String clientId;
    private final BrokerSubscriptions subscriptions;
    private final BrokerConnectOptions options;
    private final @Nullable SSLSocketFactory tls;
    private final AgentLiveness liveness;
    private final BrokerInbound inbound;
    private final BrokerMetrics metrics;
    private final ReconnectDelays delays;
    private final ScheduledExecutorService connector;
    private final Map<String, byte[]> retained = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Changed under {@code this}. */
    private final BrokerOutage outage;

    private volatile @Nullable PahoAttempt current;
    private volatile boolean up;
    /** Whether shared subscriptions are still to be tried; false once the broker refused them. */
    private volatile boolean shared;

    private BrokerTransport(
            ExternalBrokerConfig config,
            String site,
            String controllerId,
            AgentMessageListener listener,
            @Nullable GridSignalReceiver gridSignals,
            boolean marketPrices,
            Topic stateTopic,
            byte[] offlineState,
            SecretResolver secrets,
            @Nullable SSLSocketFactory tls,
            MeterRegistry registry) {
        this.config = config;
        this.url = config.pahoUrl();
        this.clientId = config.clientId().orElse("headroom-" + controllerId);
        this.options = new BrokerConnectOptions(config, secrets, tls, stateTopic, offlineState);
        this.tls = tls;
        this.liveness = new AgentLiveness(listener);
        this.metrics = new BrokerMetrics(registry, () -> up ? 1 : 0, liveness::liveAgents);
        this.inbound = new BrokerInbound(site, liveness, metrics, gridSignals);
        this.delays = new ReconnectDelays(
                config.reconnectMin(),
                config.reconnectMax(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.outage = new BrokerOutage(url, clientId, config, metrics);
        this.shared = config.sharedGroup().isPresent();
        this.subscriptions = new BrokerSubscriptions(site, gridSignals != null, marketPrices, config.sharedGroup());
        this.connector = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "headroom-broker-connect");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts connecting to the broker and returns at once: a broker that is down at start-up is an
     * outage like any other, retried with backoff, and the controller runs meanwhile.
     *
     * @param offlineState the encoded {@code ControllerState{online: false}}: the connection's Will
     * @param gridSignals where grid signals go, or {@code null} when the grid signal is not enabled
     * @param marketPrices whether to subscribe to the site's market price topics
     * @throws IOException naming the key and the file when a TLS file cannot be read or is not PEM
     */
    public static BrokerTransport start(
            ExternalBrokerConfig config,
            String site,
            String controllerId,
            AgentMessageListener listener,
            @Nullable GridSignalReceiver gridSignals,
            boolean marketPrices,
            byte[] offlineState,
            SecretResolver secrets,
            MeterRegistry registry)
            throws IOException {
        Objects.requireNonNull(listener, "listener");
        if (config.plaintextBeyondLoopback()) {
            LOGGER.warn(
                    "broker url {} is plaintext to a host other than loopback: the controller's password and every"
                            + " message cross the network in the clear; use ssl:// with mqtt.external.tls",
                    config.url());
        }
        // Every ssl:// url gets its factory here, the JDK trust store's too: a plaintext fallback has no path.
        SSLSocketFactory tls = config.usesTls() ? BrokerTlsContext.socketFactory(config.tls()) : null;
        BrokerTransport transport = new BrokerTransport(
                config,
                site,
                controllerId,
                listener,
                gridSignals,
                marketPrices,
                Topics.controllerState(site),
                offlineState,
                secrets,
                tls,
                registry);
        transport.connector.execute(transport::attempt);
        return transport;
    }

    /** Where prices published on the site's market topics go from now on; {@code null} for nowhere. */
    public void usePrices(@Nullable MarketPriceFeed feed) {
        inbound.usePrices(feed);
    }

    /** True while connected to the broker with every subscription granted. */
    public boolean connected() {
        return up && !closed.get();
    }

    /** While not {@link #connected()}: why the last attempt failed (the url, then the reason). */
    public Optional<String> problem() {
        return connected() ? Optional.empty() : Optional.ofNullable(outage.problem());
    }

    /** The broker's url, as the controller connects to it. */
    public String url() {
        return url;
    }

    /** Agents born and not dead, as seen through the broker. */
    public int liveAgents() {
        return liveness.liveAgents();
    }

    // ---------------------------------------------------------------- connecting

    private void attempt() {
        if (closed.get()) {
            return;
        }
        MqttConnectionOptions connect;
        try {
            connect = options.forAttempt();
        } catch (IOException e) {
            failed(null, "the controller's broker password cannot be read: " + e.getMessage());
            return;
        }
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            failed(null, "cannot create the MQTT client for " + url + ": " + e.getMessage());
            return;
        }
        PahoAttempt attempt = new PahoAttempt(client);
        current = attempt;
        client.setCallback(new Callbacks(attempt));
        try {
            client.connect(connect, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    subscribe(attempt);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    failed(attempt, describe(failure));
                }
            });
        } catch (MqttException | RuntimeException e) {
            failed(attempt, describe(e));
            return;
        }
        // Paho's connection timeout covers the TCP connect, not the CONNACK.
        long limit = config.connectTimeout().toMillis() + 1_000;
        connector.schedule(
                () -> {
                    if (!attempt.ended.get() && !(up && current == attempt)) {
                        failed(attempt, "no CONNACK and SUBACK within " + Duration.ofMillis(limit));
                    }
                },
                limit,
                TimeUnit.MILLISECONDS);
    }

    /** A failed connect in one line: the TLS reason when the handshake is what failed. */
    private String describe(Throwable failure) {
        return tls == null ? PahoAttempt.describe(failure) : BrokerTlsFailure.describe(failure, config);
    }

    private void subscribe(PahoAttempt attempt) {
        List<String> wanted = subscriptions.filters(shared);
        MqttSubscription[] requested = wanted.stream()
                .map(filter -> new MqttSubscription(filter, SUBSCRIPTION_QOS))
                .toArray(MqttSubscription[]::new);
        try {
            attempt.client.subscribe(
                    requested,
                    null,
                    new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            subscribed(attempt, wanted, token.getReasonCodes());
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable failure) {
                            failed(attempt, "subscribing failed: " + PahoAttempt.describe(failure));
                        }
                    },
                    new MqttProperties());
        } catch (MqttException | RuntimeException e) {
            failed(attempt, "subscribing failed: " + PahoAttempt.describe(e));
        }
    }

    private void subscribed(PahoAttempt attempt, List<String> wanted, int @Nullable [] reasonCodes) {
        int refused = BrokerSubscriptions.firstRefused(reasonCodes, wanted.size());
        if (refused < 0) {
            becomeUp(attempt, wanted);
            return;
        }
        int code = BrokerSubscriptions.code(reasonCodes, refused);
        if (shared && code == SHARED_SUBSCRIPTIONS_NOT_SUPPORTED) {
            LOGGER.warn(
                    "broker {} does not support shared subscriptions (SUBACK 0x9E): subscribing without"
                            + " $share/{}/ instead; this controller then receives every agent message",
                    url,
                    config.sharedGroup().orElse(""));
            shared = false;
            subscribe(attempt);
            return;
        }
        failed(
                attempt,
                "the broker refused the subscription to " + wanted.get(refused) + " (SUBACK reason 0x"
                        + Integer.toHexString(code) + "); check the broker's ACL for user " + config.username()
                        + " (headroom broker-acl)");
    }

    private synchronized void becomeUp(PahoAttempt attempt, List<String> wanted) {
        if (attempt.ended.get() || current != attempt || closed.get()) {
            return;
        }
        up = true;
        delays.reset();
        outage.up(wanted);
        // The Will may have replaced the retained state while we were away.
        retained.forEach((topic, payload) -> send(attempt, topic, payload, true, 0));
    }

    /** Ends an attempt (once), marks the outage and schedules the next attempt. */
    private void failed(@Nullable PahoAttempt attempt, String reason) {
        if (attempt != null && !attempt.ended.compareAndSet(false, true)) {
            return;
        }
        boolean wasUp;
        synchronized (this) {
            wasUp = up && (attempt == null || current == attempt);
            if (attempt == null || current == attempt) {
                up = false;
            }
            if (closed.get()) {
                return;
            }
            if (!wasUp) {
                metrics.connectFailed();
            }
            outage.down(reason);
        }
        if (wasUp) {
            liveness.allLost();
        }
        long delay = delays.nextMillis();
        try {
            connector.execute(() -> PahoAttempt.closeQuietly(attempt));
            connector.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing: nothing more to schedule.
        }
    }

    /** Paho's callbacks for one attempt; a replaced attempt's are ignored. */
    private final class Callbacks implements MqttCallback {
        private final PahoAttempt attempt;

        Callbacks(PahoAttempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            String reason = response.getException() != null
                    ? PahoAttempt.describe(response.getException())
                    : "disconnected by the broker (reason 0x" + Integer.toHexString(response.getReturnCode())
                            + (response.getReasonString() == null ? "" : ", " + response.getReasonString()) + ")";
            failed(attempt, "connection lost: " + reason);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOGGER.debug("broker {}: {}", url, PahoAttempt.describe(exception));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (current != attempt) {
                return;
            }
            try {
                inbound.onMessage(topic, message.getPayload());
            } catch (RuntimeException e) {
                // Ingest never throws; this keeps Paho's connection alive if something below does.
                LOGGER.warn("message on {} could not be handled", topic, e);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }

    // ---------------------------------------------------------------- publishing

    /**
     * Hands the message to Paho at QoS 1. Returns 1 when it was handed over, 0 when the broker is
     * unreachable or Paho's in-flight window is full (counted in
     * {@code headroom.broker.publish.dropped}). A broker cannot say who is subscribed: a command's
     * delivery is learned from its result. A retained message is kept and published again after
     * each reconnect.
     */
    @Override
    public int publish(Topic topic, byte[] payload, boolean retain, int messageExpirySeconds) {
        String wire = topic.toWire();
        if (retain) {
            retained.put(wire, payload.clone());
        }
        PahoAttempt attempt = current;
        if (!up || attempt == null || closed.get()) {
            metrics.publishDropped(BrokerMetrics.PUBLISH_DISCONNECTED);
            return 0;
        }
        return send(attempt, wire, payload, retain, messageExpirySeconds) ? 1 : 0;
    }

    private boolean send(PahoAttempt attempt, String topic, byte[] payload, boolean retain, int messageExpirySeconds) {
        MqttProperties properties = new MqttProperties();
        if (messageExpirySeconds > 0) {
            properties.setMessageExpiryInterval((long) messageExpirySeconds);
        }
        try {
            attempt.client.publish(topic, new MqttMessage(payload, PUBLISH_QOS, retain, properties));
            metrics.sent();
            return true;
        } catch (MqttException | RuntimeException e) {
            metrics.publishDropped(BrokerMetrics.PUBLISH_REFUSED);
            LOGGER.debug("publish on {} not handed to the broker: {}", topic, PahoAttempt.describe(e));
            return false;
        }
    }

    /**
     * Disconnects normally (so the broker does not publish the Will: the controller published its
     * offline state itself, just before) after letting messages in flight finish for a moment.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        up = false;
        PahoAttempt attempt = current;
        connector.shutdownNow();
        if (attempt != null && attempt.ended.compareAndSet(false, true)) {
            try {
                attempt.client.disconnect(CLOSE_QUIESCE_MILLIS).waitForCompletion(CLOSE_QUIESCE_MILLIS + 1_000);
            } catch (MqttException | RuntimeException e) {
                LOGGER.debug("broker {}: disconnect: {}", url, PahoAttempt.describe(e));
            }
            PahoAttempt.closeQuietly(attempt);
        }
        try {
            connector.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
        LOGGER.info("disconnected from broker {}", url);
    }
}
