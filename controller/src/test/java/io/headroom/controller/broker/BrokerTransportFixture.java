package io.headroom.controller.broker;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.config.DataSize;
import io.headroom.config.SecretRef;
import io.headroom.controller.Controller;
import io.headroom.controller.api.TestUsers;
import io.headroom.controller.api.auth.ApiRole;
import io.headroom.controller.command.CommandState;
import io.headroom.controller.command.CommandView;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.config.ExternalBrokerConfig;
import io.headroom.controller.config.MqttLimitsConfig;
import io.headroom.controller.config.MqttMode;
import io.headroom.controller.mqtt.CredentialStore;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.testkit.CuttableTcpProxy;
import io.headroom.testkit.MosquittoProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller in {@code mqtt.mode: external} against a real Mosquitto that enforces the ACL
 * {@link MosquittoAcl} wrote from Headroom's credentials and checks passwords, with Paho clients as
 * agents speaking the wire protocol. {@link BrokerTransportIT} runs it in plaintext, {@link
 * BrokerTransportTlsIT} over TLS; the scenarios here are the ones both run.
 */
@Timeout(90)
abstract class BrokerTransportFixture {

    static final String SITE = "brk";
    static final String CONTROLLER_USER = "headroom-controller";
    private static final String HASH = "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNo";
    static final long BOOT = 4242;

    @TempDir
    Path dir;

    MosquittoProcess broker;
    Controller controller;
    private final List<AutoCloseable> agents = new java.util.ArrayList<>();

    @BeforeEach
    void startBrokerAndController() throws Exception {
        Files.writeString(
                dir.resolve("credentials"),
                "rack-a agent " + HASH + "\nrack-b agent " + HASH + "\nwatcher observer " + HASH + "\n");
        Files.writeString(
                dir.resolve("broker.acl"),
                MosquittoAcl.write(
                        SITE, CredentialStore.load(dir.resolve("credentials")), CONTROLLER_USER, Optional.empty()));
        MosquittoProcess.writePasswordFile(
                dir.resolve("broker.passwd"),
                CONTROLLER_USER,
                "controller-secret",
                "rack-a",
                "secret-a",
                "rack-b",
                "secret-b",
                "watcher",
                "secret-w");
        List<String> lines = new java.util.ArrayList<>(listenerLines());
        lines.add("allow_anonymous false");
        lines.add("password_file " + dir.resolve("broker.passwd").toAbsolutePath());
        lines.add("acl_file " + dir.resolve("broker.acl").toAbsolutePath());
        broker = MosquittoProcess.start(dir, lines.toArray(new String[0]));
        Files.writeString(dir.resolve("controller.password"), "controller-secret\n");
        controller = Controller.start(config(brokerUrl()), Clock.systemUTC());
        await().atMost(Duration.ofSeconds(10)).until(() -> broker().connected());
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable agent : agents) {
            agent.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    ControllerConfig config(String url) {
        return config(url, controllerTls());
    }

    ControllerConfig config(String url, Optional<ExternalBrokerConfig.BrokerTls> tls) {
        ExternalBrokerConfig external = new ExternalBrokerConfig(
                URI.create(url),
                Optional.of("ctl-test"),
                CONTROLLER_USER,
                new SecretRef.File(dir.resolve("controller.password")),
                tls,
                Optional.empty(),
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofMillis(50),
                Duration.ofMillis(400));
        return new ControllerConfig(
                SITE,
                "controller-test",
                new ControllerConfig.Mqtt(
                        MqttMode.EXTERNAL,
                        "127.0.0.1",
                        0,
                        dir.resolve("credentials"),
                        DataSize.ofBytes(1024 * 1024),
                        Duration.ofSeconds(30),
                        100,
                        Optional.empty(),
                        MqttLimitsConfig.defaults(),
                        Optional.of(external)),
                ControllerConfig.Http.plaintext(
                        "127.0.0.1",
                        0,
                        List.of(new ControllerConfig.User(
                                TestUsers.OPERATOR,
                                ApiRole.OPERATOR,
                                TestUsers.hash(TestUsers.password(TestUsers.OPERATOR))))),
                Duration.ofSeconds(3),
                dir,
                Optional.empty());
    }

    /** Mosquitto lines for its one listener beyond the port (TLS files); none for plaintext. */
    List<String> listenerLines() throws Exception {
        return List.of();
    }

    /** The url the controller and the fake agents connect to. */
    String brokerUrl() {
        return broker.url();
    }

    /** The controller's {@code mqtt.external.tls}. */
    Optional<ExternalBrokerConfig.BrokerTls> controllerTls() {
        return Optional.empty();
    }

    /** The fake agents' socket factory; {@code null} for Paho's plaintext default. */
    @Nullable
    SocketFactory agentSockets() throws java.io.IOException {
        return null;
    }

    BrokerTransport broker() {
        return controller.broker().orElseThrow();
    }

    // ------------------------------------------------------------------ a Paho client as an agent

    /** A message a fake agent received. */
    record Received(String topic, byte[] payload) {}

    /** A Paho client speaking the wire protocol as an agent (or any principal) would. */
    final class FakeAgent implements AutoCloseable {
        final String user;
        final MqttClient client;
        final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

        FakeAgent(String user, String password, boolean withWill) throws MqttException, java.io.IOException {
            this(brokerUrl(), user, password, withWill);
        }

        FakeAgent(String url, String user, String password, boolean withWill)
                throws MqttException, java.io.IOException {
            this.user = user;
            client = new MqttClient(url, user + "-client", new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {}

                @Override
                public void mqttErrorOccurred(MqttException exception) {}

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.add(new Received(topic, message.getPayload()));
                }

                @Override
                public void deliveryComplete(IMqttToken token) {}

                @Override
                public void connectComplete(boolean reconnect, String serverUri) {}

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {}
            });
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setUserName(user);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
            options.setCleanStart(true);
            options.setAutomaticReconnect(false);
            SocketFactory sockets = agentSockets();
            if (sockets != null) {
                options.setSocketFactory(sockets);
            }
            if (withWill) {
                options.setWill(
                        Topics.agent(SITE, user, TopicKind.DEATH).toWire(),
                        new MqttMessage(
                                WireCodec.encode(Death.newBuilder()
                                        .setAgentId(user)
                                        .setBootId(BOOT)
                                        .setSession(1)
                                        .build()),
                                1,
                                false,
                                null));
            }
            client.connect(options);
            agents.add(this);
        }

        /** Subscribes as an agent does: its cmd and ack, and the controller state. */
        FakeAgent subscribeAsAgent() throws MqttException {
            client.subscribe(
                    new String[] {
                        Topics.agent(SITE, user, TopicKind.CMD).toWire(),
                        Topics.agent(SITE, user, TopicKind.ACK).toWire(),
                        Topics.controllerState(SITE).toWire()
                    },
                    new int[] {1, 1, 1});
            return this;
        }

        void publish(TopicKind kind, com.google.protobuf.Message message) throws MqttException {
            publishRaw(Topics.agent(SITE, user, kind).toWire(), WireCodec.encode(message));
        }

        void publishRaw(String topic, byte[] payload) throws MqttException {
            client.publish(topic, payload, 1, false);
        }

        /**
         * Publishes as soon as Paho has an in-flight slot: in a flood its sync client may answer
         * "too many publishes in progress" (32202) before the previous PUBACK freed one.
         */
        void publishWhenFree(String topic, byte[] payload) {
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(1))
                    .ignoreExceptionsMatching(e -> e instanceof MqttException m
                            && m.getReasonCode()
                                    == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT)
                    .until(() -> {
                        publishRaw(topic, payload);
                        return true;
                    });
        }

        /** The next message on {@code topic}, skipping others. */
        byte[] next(String topic) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                Received message = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new AssertionError(user + ": nothing on " + topic + " within 10 s");
                }
                if (message.topic().equals(topic)) {
                    return message.payload();
                }
            }
        }

        String topic(TopicKind kind) {
            return Topics.agent(SITE, user, kind).toWire();
        }

        @Override
        public void close() {
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(0, 1000, false);
                }
                client.close(true);
            } catch (MqttException ignored) {
                // Already gone.
            }
        }
    }

    static double counter(Controller controller, String name, String... tags) {
        var search = controller.registry().find(name);
        for (int i = 0; i + 1 < tags.length; i += 2) {
            search = search.tag(tags[i], tags[i + 1]);
        }
        var counter = search.counter();
        return counter == null ? 0 : counter.count();
    }

    // ------------------------------------------------------------------ scenarios both transports run

    /** Birth to ONLINE, Data applied and acked, a command out and its result back, then the killed agent's Will. */
    void roundTrip() throws Exception {
        // Through a proxy, so that it can be killed as a process is: its TCP connection reset, with
        // no DISCONNECT (and, over TLS, no close_notify either).
        CuttableTcpProxy proxy = new CuttableTcpProxy(broker.port());
        agents.add(proxy);
        String viaProxy = brokerUrl().replace(":" + broker.port(), ":" + proxy.port());
        FakeAgent agent = new FakeAgent(viaProxy, "rack-a", "secret-a", true).subscribeAsAgent();
        ControllerState state =
                WireCodec.decode(agent.next(Topics.controllerState(SITE).toWire()), ControllerState.class);
        assertThat(state.getOnline())
                .as("the retained state, published through the broker")
                .isTrue();

        agent.publish(
                TopicKind.BIRTH,
                birth("rack-a", BOOT, 1, 1).addDevices(miner("m1", 10)).build());
        agent.publish(
                TopicKind.DATA,
                data(BOOT, 2, System.currentTimeMillis())
                        .addAlias(10)
                        .addValue(3250)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build());
        String ackTopic = agent.topic(TopicKind.ACK);
        assertThat(WireCodec.decode(agent.next(ackTopic), Ack.class).getSeq()).isEqualTo(1);
        assertThat(WireCodec.decode(agent.next(ackTopic), Ack.class).getSeq()).isEqualTo(2);
        DeviceView m1 = controller.store().device("m1").orElseThrow();
        assertThat(m1.status()).isEqualTo(DeviceState.ONLINE);
        assertThat(m1.metric("power").value()).isEqualTo(3250);
        assertThat(controller.ingest().connectedAgents()).isEqualTo(1);

        CommandView sent =
                controller.commands().send("m1", Verb.VERB_SET_POWER_TARGET, 2800.0, "", Duration.ofSeconds(30));
        Command command = WireCodec.decode(agent.next(agent.topic(TopicKind.CMD)), Command.class);
        assertThat(command.getCommandId()).isEqualTo(sent.commandId());
        assertThat(command.getValue()).isEqualTo(2800);
        agent.publish(
                TopicKind.RESULT,
                Result.newBuilder()
                        .setBootId(BOOT)
                        .setSeq(3)
                        .setCommandId(sent.commandId())
                        .setDeviceId("m1")
                        .setStatus(ResultStatus.RESULT_STATUS_APPLIED)
                        .setReadBack(2800)
                        .setTimestampMs(System.currentTimeMillis())
                        .build());
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> controller
                                .commands()
                                .command(sent.commandId())
                                .orElseThrow()
                                .state(),
                        s -> s == CommandState.APPLIED);

        proxy.cutAll();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            DeviceView gone = controller.store().device("m1").orElseThrow();
            assertThat(gone.status()).isEqualTo(DeviceState.STALE);
        });
        assertThat(controller.ingest().connectedAgents()).isZero();
        assertThat(broker().liveAgents()).isZero();
        assertThat(counter(controller, "headroom.ingest.messages", "kind", "death", "outcome", "accepted"))
                .isEqualTo(1);
    }

    /** A broker outage: /health 503, one outage of several failed attempts, then healed with the state online. */
    void outageAndRecovery() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI health = URI.create("http://127.0.0.1:" + controller.httpAddress().getPort() + "/health");
        assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);

        broker.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !broker().connected());
        HttpResponse<String> degraded =
                http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(degraded.statusCode()).isEqualTo(503);
        assertThat(degraded.body()).contains("DEGRADED");
        // Several failed attempts (backoff from 50 ms, capped at 400 ms) make one outage.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> counter(controller, "headroom.broker.connect.failures") >= 2);
        assertThat(counter(controller, "headroom.broker.outages")).isEqualTo(1);
        assertThat(controller.registry().scrape()).contains("headroom_broker_connected 0.0");

        broker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> broker().connected());
        assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        assertThat(counter(controller, "headroom.broker.outages")).isEqualTo(1);

        // The retained state is online again (not the Will, not stale), with no heartbeat needed.
        FakeAgent watcher = new FakeAgent("watcher", "secret-w", false);
        watcher.client.subscribe(Topics.controllerState(SITE).toWire(), 1);
        ControllerState state =
                WireCodec.decode(watcher.next(Topics.controllerState(SITE).toWire()), ControllerState.class);
        assertThat(state.getOnline()).isTrue();
    }
}
