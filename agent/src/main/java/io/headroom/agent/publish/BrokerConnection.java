package io.headroom.agent.publish;

import io.headroom.agent.config.AgentConfig;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Death;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * The agent's connection to the broker over its life: one Paho client per attempt, with a Will
 * that names the attempt's session; the CONNACK timeout Paho lacks; subscribing before the Birth;
 * reconnecting with backoff after a failure or a loss, exactly once per failure; and what the
 * outage looks like ({@link #connectionProblem()}, logged at warn once per outage or new TLS
 * failure).
 *
 * <p>Kept apart from {@link MqttPublisher}, which owns the protocol session on top (births,
 * batches, acks, the outbox): the two meet only at the {@link Listener} events. Runs on the
 * publisher's thread, like the publisher; Paho's callbacks only hand work to it. Logs under
 * {@link MqttPublisher}'s logger, as before the split.
 */
final class BrokerConnection {
    /** What the publisher is told, on its own thread unless said otherwise. */
    interface Listener {
        /** The broker accepted a connection with this Receive Maximum (null: absent in the CONNACK). */
        void accepted(Integer receiveMaximum);

        /** Connected and subscribed: a Birth may go out. */
        void subscribed();

        /** An attempt failed: batches are kept (store and forward). */
        void attemptFailed();

        /** The connection is gone: forget what was queued (the outbox keeps it). */
        void lost();

        /** How many messages are kept for resending, for the log. */
        int kept();

        /** A message from the broker on the current client; on Paho's thread, must hand off at once. */
        void message(String topic, MqttMessage message);
    }

    private final Logger logger = LoggerFactory.getLogger(MqttPublisher.class);
    private final AgentConfig config;
    private final BrokerLink link;
    private final long bootId;
    private final Listener listener;
    private final ScheduledExecutorService loop;
    private final Consumer<Runnable> post;
    private final PahoCloser pahoCalls;
    private final ReconnectBackoff backoff;
    private final Counter reconnects;

    private MqttAsyncClient client;
    /**
     * Number of the current (or last) accepted connection of this boot. An attempt carries
     * {@code session + 1} in its Will and takes the number only once the CONNACK accepts it: a
     * refused attempt has no Will to publish, so reusing its number is safe, and each accepted
     * connection is exactly one more than the last.
     */
    private long session;

    private long attemptSession;
    private boolean closed;
    private boolean connectFailureLogged;
    /** The last TLS failure logged at warn in this outage: a different one is logged again. */
    private String loggedTlsFailure;

    private volatile boolean connected;
    private volatile String connectionProblem;

    /**
     * @param loop the publisher's thread, for timers
     * @param post hands work to the publisher's thread (a no-op once it has stopped)
     */
    BrokerConnection(
            AgentConfig config,
            BrokerLink link,
            long bootId,
            Listener listener,
            ScheduledExecutorService loop,
            Consumer<Runnable> post,
            PahoCloser pahoCalls,
            MeterRegistry registry) {
        this.config = config;
        this.link = link;
        this.bootId = bootId;
        this.listener = listener;
        this.loop = loop;
        this.post = post;
        this.pahoCalls = pahoCalls;
        this.backoff =
                new ReconnectBackoff(config.mqtt().reconnectMin(), config.mqtt().reconnectMax());
        Gauge.builder("headroom.agent.mqtt.connected", this, c -> c.connected ? 1 : 0)
                .register(registry);
        this.reconnects = Counter.builder("headroom.agent.mqtt.reconnects").register(registry);
    }

    /** The client of the current connection or attempt; null between attempts and after close. */
    MqttAsyncClient current() {
        return client;
    }

    /** The number of the current (or last) accepted connection of this boot. */
    long session() {
        return session;
    }

    /** True while connected to the endpoint. Thread-safe. */
    boolean connected() {
        return connected;
    }

    /** Why the agent is not connected; empty while connected and before the first attempt failed. Thread-safe. */
    Optional<String> connectionProblem() {
        return Optional.ofNullable(connectionProblem);
    }

    /** Stops connecting; returns the client of the current connection or attempt, if any, for the goodbye. */
    MqttAsyncClient stop() {
        closed = true;
        MqttAsyncClient current = client;
        client = null;
        connected = false;
        return current;
    }

    private void post(Runnable task) {
        post.accept(task);
    }

    private String topic(TopicKind kind) {
        return Topics.agent(config.site(), config.agentId(), kind).toWire();
    }

    /** Starts a connection attempt; on failure, another follows after the backoff. */
    void connect() {
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
        listener.attemptFailed();
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
        pahoCalls.closeQuietly(attempt);
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
                pahoCalls.closeQuietly(attempt); // A CONNACK after its attempt was given up: not ours any more.
            }
            return;
        }
        listener.accepted(receiveMaximum);
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
        listener.subscribed();
    }

    /**
     * The connection is gone: forget what was queued (the outbox keeps it) and reconnect.
     *
     * @param why what ended it, e.g. {@code connection lost: java.io.EOFException} (see {@link DisconnectReason})
     */
    void lost(MqttAsyncClient attempt, String why) {
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
            logger.warn("{}: {}; {} messages kept for resending", config.mqtt().url(), why, listener.kept());
            connectFailureLogged = true; // This warning covers the reconnect attempts too.
        }
        connected = false;
        listener.lost();
        pahoCalls.closeQuietly(attempt);
        scheduleReconnect();
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
                listener.message(topic, message);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }
}
