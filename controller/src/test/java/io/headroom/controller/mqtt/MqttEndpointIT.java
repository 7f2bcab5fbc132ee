package io.headroom.controller.mqtt;

import static io.headroom.controller.mqtt.TestPrincipals.AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.OTHER_AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.SITE;
import static io.headroom.controller.mqtt.TestPrincipals.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The endpoint on a real socket, driven by Eclipse Paho v5 and v3 and by a hand-written raw client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttEndpointIT {
    private static final int MAX_PACKET_SIZE = 4096;

    private final RecordingListener listener = new RecordingListener();
    private MqttEndpoint endpoint;
    private String uri;

    @BeforeEach
    void start() throws Exception {
        endpoint = MqttEndpoint.start(
                TestPrincipals.config(MAX_PACKET_SIZE, 30, 64),
                TestPrincipals.store(),
                listener,
                new SimpleMeterRegistry());
        uri = "tcp://127.0.0.1:" + endpoint.localAddress().getPort();
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    /** A Paho v5 agent; received messages land in {@code inbox}, a server DISCONNECT in {@code disconnected}. */
    private MqttClient pahoV5Agent(
            String agent, String password, BlockingQueue<MqttMessage> inbox, CompletableFuture<Integer> disconnected)
            throws MqttException {
        MqttClient client = new MqttClient(uri, agent, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                disconnected.complete(response.getReturnCode());
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                inbox.add(message);
            }

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(agent);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setWill(
                wire(agent, TopicKind.DEATH), new MqttMessage("gone".getBytes(StandardCharsets.UTF_8), 1, false, null));
        client.connect(options);
        return client;
    }

    @Test
    void pahoV5Agent_subscribesPublishesAndReceivesCommand_listenerGetsBirthAndData() throws Exception {
        BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttClient agent = pahoV5Agent(AGENT, AGENT_PASSWORD, inbox, new CompletableFuture<>());

        IMqttToken subscribed = agent.subscribe(new MqttSubscription[] {
            new MqttSubscription(wire(AGENT, TopicKind.CMD), 1), new MqttSubscription(wire(AGENT, TopicKind.ACK), 1)
        });
        assertThat(subscribed.getReasonCodes()).containsExactly(1, 1);
        agent.publish(wire(AGENT, TopicKind.BIRTH), new MqttMessage(bytes("birth"), 1, false, null));
        agent.publish(wire(AGENT, TopicKind.DATA), new MqttMessage(bytes("data"), 1, false, null));

        assertThat(listener.events())
                .containsExactly(
                        "connected " + AGENT,
                        "message " + wire(AGENT, TopicKind.BIRTH) + " birth",
                        "message " + wire(AGENT, TopicKind.DATA) + " data");
        assertThat(endpoint.connectedAgents()).isEqualTo(1);

        int queued = endpoint.publish(Topics.agent(SITE, AGENT, TopicKind.CMD), bytes("reboot"), false, 30);
        assertThat(queued).isEqualTo(1);
        MqttMessage command = inbox.poll(10, TimeUnit.SECONDS);
        assertThat(command).isNotNull();
        assertThat(new String(command.getPayload(), StandardCharsets.UTF_8)).isEqualTo("reboot");
        assertThat(command.getQos()).isEqualTo(1);
        assertThat(command.getProperties().getMessageExpiryInterval()).isBetween(1L, 30L);

        agent.disconnect();
        agent.close();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> listener.events().contains("disconnected " + AGENT + " graceful"));
        assertThat(listener.messages()).noneMatch(m -> m.contains("/death"));
    }

    @Test
    void pahoV3Agent_subscribesPublishesAndReceivesCommand_listenerGetsBirthAndData() throws Exception {
        BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        org.eclipse.paho.client.mqttv3.MqttClient agent =
                new org.eclipse.paho.client.mqttv3.MqttClient(uri, AGENT, new MemoryPersistence());
        agent.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                inbox.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        MqttConnectOptions options = v3Options(AGENT, AGENT_PASSWORD);
        options.setWill(wire(AGENT, TopicKind.DEATH), bytes("gone"), 1, false);
        agent.connect(options);

        int[] granted = agent.subscribeWithResponse(
                        new String[] {wire(AGENT, TopicKind.CMD), wire(AGENT, TopicKind.ACK)}, new int[] {1, 1})
                .getGrantedQos();
        assertThat(granted).containsExactly(1, 1);
        agent.publish(wire(AGENT, TopicKind.BIRTH), bytes("birth"), 1, false);
        agent.publish(wire(AGENT, TopicKind.DATA), bytes("data"), 1, false);
        assertThat(listener.events())
                .containsExactly(
                        "connected " + AGENT,
                        "message " + wire(AGENT, TopicKind.BIRTH) + " birth",
                        "message " + wire(AGENT, TopicKind.DATA) + " data");

        assertThat(endpoint.publish(Topics.agent(SITE, AGENT, TopicKind.ACK), bytes("ack-7"), false, 0))
                .isEqualTo(1);
        assertThat(inbox.poll(10, TimeUnit.SECONDS)).isEqualTo(wire(AGENT, TopicKind.ACK) + " ack-7");

        agent.disconnect();
        agent.close();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> listener.events().contains("disconnected " + AGENT + " graceful"));
    }

    @Test
    void wrongPassword_pahoV5RefusedWith0x86_pahoV3WithCode4_listenerSeesNothing() throws Exception {
        assertThatThrownBy(() -> pahoV5Agent(AGENT, "wrong", new LinkedBlockingQueue<>(), new CompletableFuture<>()))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));

        org.eclipse.paho.client.mqttv3.MqttClient v3 =
                new org.eclipse.paho.client.mqttv3.MqttClient(uri, AGENT, new MemoryPersistence());
        assertThatThrownBy(() -> v3.connect(v3Options(AGENT, "wrong")))
                .isInstanceOfSatisfying(
                        org.eclipse.paho.client.mqttv3.MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(4));
        v3.close();
        assertThat(listener.events()).isEmpty();
        assertThat(endpoint.connectedAgents()).isZero();
    }

    @Test
    void agentPublishingOnAnotherAgentsTopic_disconnectedWith0x87_nothingDelivered() throws Exception {
        CompletableFuture<Integer> disconnected = new CompletableFuture<>();
        MqttClient agent = pahoV5Agent(AGENT, AGENT_PASSWORD, new LinkedBlockingQueue<>(), disconnected);

        IMqttToken refused = agent.subscribe(new MqttSubscription[] {
            new MqttSubscription(wire(OTHER_AGENT, TopicKind.CMD), 1),
            new MqttSubscription(wire(AGENT, TopicKind.CMD), 1)
        });
        assertThat(refused.getReasonCodes()).containsExactly(0x87, 1);

        // Paho v5 1.2.5's synchronous publish was seen waiting forever on its QoS 0 token when the
        // server disconnected right after it, so it runs on its own thread; the test waits for the DISCONNECT.
        CompletableFuture.runAsync(() -> {
            try {
                agent.publish(wire(OTHER_AGENT, TopicKind.DATA), new MqttMessage(bytes("forged"), 0, false, null));
            } catch (MqttException e) {
                // expected when the disconnect wins the race
            }
        });
        assertThat(disconnected.get(10, TimeUnit.SECONDS)).isEqualTo(0x87);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> listener.events().contains("disconnected " + AGENT + " abrupt"));
        assertThat(listener.messages()).containsExactly("message " + wire(AGENT, TopicKind.DEATH) + " gone");
        agent.close(true);
    }

    @Test
    void oversizePacket_disconnectedWith0x95_otherClientsStillServed() throws Exception {
        CompletableFuture<Integer> ignored = new CompletableFuture<>();
        MqttClient bystander =
                pahoV5Agent(OTHER_AGENT, TestPrincipals.OTHER_AGENT_PASSWORD, new LinkedBlockingQueue<>(), ignored);
        try (RawMqttClient raw = new RawMqttClient(endpoint.localAddress())) {
            raw.send(MqttClientPackets.agentV5(AGENT, AGENT_PASSWORD, 30));
            assertThat(raw.read()).isInstanceOf(MqttConnAckMessage.class);

            raw.send(MqttClientPackets.publish(wire(AGENT, TopicKind.DATA), 1, 1, "x".repeat(MAX_PACKET_SIZE)));

            io.netty.handler.codec.mqtt.MqttMessage reply = raw.read();
            assertThat(reply.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
            assertThat(((MqttReasonCodeAndPropertiesVariableHeader) reply.variableHeader()).reasonCode())
                    .isEqualTo((byte) 0x95);
            assertThat(raw.read()).as("closed after DISCONNECT").isNull();
        }
        bystander.publish(wire(OTHER_AGENT, TopicKind.DATA), new MqttMessage(bytes("still here"), 1, false, null));
        assertThat(listener.messages())
                .contains("message " + wire(OTHER_AGENT, TopicKind.DATA) + " still here")
                .noneMatch(m -> m.startsWith("message " + wire(AGENT, TopicKind.DATA)));
        assertThat(ignored).isNotDone();
        bystander.disconnect();
        bystander.close();
    }

    @Test
    void agentConnectionKilled_listenerGetsWillThenAbruptDisconnect() throws Exception {
        try (RawMqttClient raw = new RawMqttClient(endpoint.localAddress())) {
            raw.send(MqttClientPackets.agentV5(AGENT, AGENT_PASSWORD, 30));
            assertThat(raw.read()).isInstanceOf(MqttConnAckMessage.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.connectedAgents() == 1);

            raw.kill();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.events().size() == 3);
        assertThat(listener.events())
                .containsExactly(
                        "connected " + AGENT,
                        "message " + wire(AGENT, TopicKind.DEATH) + " gone",
                        "disconnected " + AGENT + " abrupt");
        assertThat(endpoint.connectedAgents()).isZero();
    }

    @Test
    void agentSilentPastKeepAlive_disconnectedWith0x8DAndWillPublishedWithinOneAndAHalfKeepAlives() throws Exception {
        try (RawMqttClient raw = new RawMqttClient(endpoint.localAddress())) {
            raw.send(MqttClientPackets.agentV5(AGENT, AGENT_PASSWORD, 1));
            MqttConnAckMessage connAck = (MqttConnAckMessage) raw.read();
            assertThat(connAck.variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            long connectedAt = System.nanoTime();

            await().atMost(Duration.ofMillis(1500 + 1500))
                    .until(() -> listener.events().contains("disconnected " + AGENT + " abrupt"));
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectedAt);

            assertThat(elapsedMillis).as("not before 1.5 x keep-alive").isGreaterThanOrEqualTo(1400);
            assertThat(listener.messages()).containsExactly("message " + wire(AGENT, TopicKind.DEATH) + " gone");
            io.netty.handler.codec.mqtt.MqttMessage reply = raw.read();
            assertThat(((MqttReasonCodeAndPropertiesVariableHeader) reply.variableHeader()).reasonCode())
                    .isEqualTo((byte) 0x8D);
        }
    }

    @Test
    void secondConnectionWithSameClientId_takesOver_oldWillBeforeNewConnect() throws Exception {
        CompletableFuture<Integer> firstDisconnected = new CompletableFuture<>();
        MqttClient first = pahoV5Agent(AGENT, AGENT_PASSWORD, new LinkedBlockingQueue<>(), firstDisconnected);
        MqttClient second = pahoV5Agent(AGENT, AGENT_PASSWORD, new LinkedBlockingQueue<>(), new CompletableFuture<>());

        assertThat(firstDisconnected.get(10, TimeUnit.SECONDS)).isEqualTo(0x8E);
        // agentConnected follows the CONNACK write, so the client may see CONNACK a moment earlier.
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.events().size() == 4);
        assertThat(listener.events())
                .containsExactly(
                        "connected " + AGENT,
                        "message " + wire(AGENT, TopicKind.DEATH) + " gone",
                        "disconnected " + AGENT + " abrupt",
                        "connected " + AGENT);
        assertThat(endpoint.connectedAgents()).isEqualTo(1);
        second.disconnect();
        second.close();
        first.close(true);
    }

    @Test
    void close_clientsToldServerShuttingDown_agentsDisconnectedGracefullyWithoutWill() throws Exception {
        CompletableFuture<Integer> disconnected = new CompletableFuture<>();
        MqttClient agent = pahoV5Agent(AGENT, AGENT_PASSWORD, new LinkedBlockingQueue<>(), disconnected);

        endpoint.close();
        endpoint.close();

        assertThat(disconnected.get(10, TimeUnit.SECONDS)).isEqualTo(0x8B);
        assertThat(listener.events()).containsExactly("connected " + AGENT, "disconnected " + AGENT + " graceful");
        assertThat(endpoint.publish(Topics.controllerState(SITE), bytes("s"), true, 0))
                .isZero();
        agent.close(true);
    }

    @Test
    void start_portInUse_failsNamingTheAddress() {
        InetSocketAddress taken = endpoint.localAddress();
        MqttEndpointConfig clash = new MqttEndpointConfig(SITE, "127.0.0.1", taken.getPort(), 4096, 30, 64, 5, 10);

        assertThatThrownBy(() -> MqttEndpoint.start(clash, TestPrincipals.store(), listener, new SimpleMeterRegistry()))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("127.0.0.1:" + taken.getPort());
    }

    @Test
    void retainedControllerState_deliveredToLaterSubscriberWithRetainFlag() throws Exception {
        endpoint.publish(Topics.controllerState(SITE), bytes("state-1"), true, 0);
        BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttClient agent = pahoV5Agent(AGENT, AGENT_PASSWORD, inbox, new CompletableFuture<>());

        agent.subscribe(new MqttSubscription[] {
            new MqttSubscription(Topics.controllerState(SITE).toWire(), 1)
        });

        MqttMessage state = inbox.poll(10, TimeUnit.SECONDS);
        assertThat(state).isNotNull();
        assertThat(state.isRetained()).isTrue();
        assertThat(new String(state.getPayload(), StandardCharsets.UTF_8)).isEqualTo("state-1");
        assertThatThrownBy(() -> endpoint.publish(Topics.agent(SITE, AGENT, TopicKind.CMD), bytes("x"), true, 0))
                .isInstanceOf(IllegalArgumentException.class);
        agent.disconnect();
        agent.close();
    }

    private static MqttConnectOptions v3Options(String username, String password) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        return options;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
