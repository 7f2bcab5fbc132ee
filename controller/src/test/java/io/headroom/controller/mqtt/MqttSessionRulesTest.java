package io.headroom.controller.mqtt;

import static io.headroom.controller.mqtt.MqttClientPackets.agentV3;
import static io.headroom.controller.mqtt.MqttClientPackets.agentV5;
import static io.headroom.controller.mqtt.MqttClientPackets.connect;
import static io.headroom.controller.mqtt.MqttClientPackets.pubAck;
import static io.headroom.controller.mqtt.MqttClientPackets.publish;
import static io.headroom.controller.mqtt.MqttClientPackets.subscribe;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.OTHER_AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.SITE;
import static io.headroom.controller.mqtt.TestPrincipals.topic;
import static io.headroom.controller.mqtt.TestPrincipals.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The endpoint's rules (authentication, ACL, Will, keep-alive, flow control) on an embedded pipeline. */
class MqttSessionRulesTest {
    private static final MqttEndpointConfig CONFIG = TestPrincipals.config(4096, 30, 64);

    private static EmbeddedEndpoint connected(MqttMessage connect) {
        EmbeddedEndpoint endpoint = new EmbeddedEndpoint(CONFIG);
        endpoint.feed(endpoint.encode(connect));
        MqttConnAckMessage connAck = (MqttConnAckMessage) endpoint.replies().get(0);
        assertThat(connAck.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        return endpoint;
    }

    private static MqttConnectReturnCode refusal(MqttMessage connect, String result) {
        EmbeddedEndpoint endpoint = new EmbeddedEndpoint(CONFIG);
        endpoint.feed(endpoint.encode(connect));
        List<MqttMessage> replies = endpoint.replies();
        assertThat(replies).hasSize(1);
        assertThat(endpoint.server.isActive()).isFalse();
        assertThat(endpoint.listener.events()).isEmpty();
        assertThat(endpoint.counter("headroom.mqtt.connect.attempts", "result", result))
                .isEqualTo(1);
        assertFalse(endpoint.server.finish());
        return ((MqttConnAckMessage) replies.get(0)).variableHeader().connectReturnCode();
    }

    private static int disconnectReason(EmbeddedEndpoint endpoint) {
        List<MqttMessage> replies = endpoint.replies();
        MqttMessage last = replies.get(replies.size() - 1);
        assertThat(last.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
        assertThat(endpoint.server.isActive()).isFalse();
        return ((MqttReasonCodeAndPropertiesVariableHeader) last.variableHeader()).reasonCode() & 0xFF;
    }

    @Test
    void connect_wrongPassword_refused0x86InV5And4InV3() {
        assertThat(refusal(agentV5(AGENT, "wrong", 30), "bad-credentials"))
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD);
        assertThat(refusal(agentV3(AGENT, "wrong", 30), "bad-credentials"))
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
        assertThat(refusal(
                        connect(MqttVersion.MQTT_5, "x", null, null, 30, null, new MqttProperties()),
                        "bad-credentials"))
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD);
        assertThat(refusal(agentV5("nobody", AGENT_PASSWORD, 30), "bad-credentials"))
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD);
    }

    @Test
    void connect_agentClientIdNotItsUsername_refused0x85() {
        MqttMessage connect =
                connect(MqttVersion.MQTT_5, "someone-else", AGENT, AGENT_PASSWORD, 30, null, new MqttProperties());
        assertThat(refusal(connect, "invalid-client-id"))
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID);
    }

    @Test
    void connect_willOnAnotherTopicOrFromObserver_refused0x87() {
        MqttMessage otherTopic = connect(
                MqttVersion.MQTT_5,
                AGENT,
                AGENT,
                AGENT_PASSWORD,
                30,
                wire(OTHER_AGENT, TopicKind.DEATH),
                new MqttProperties());
        assertThat(refusal(otherTopic, "not-authorized"))
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
        MqttMessage observerWill = connect(
                MqttVersion.MQTT_3_1_1,
                "obs",
                OBSERVER,
                OBSERVER_PASSWORD,
                30,
                wire(AGENT, TopicKind.DEATH),
                MqttProperties.NO_PROPERTIES);
        assertThat(refusal(observerWill, "not-authorized"))
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
    }

    @Test
    void connect_keepAliveZeroOrAboveMaximum_serverKeepAliveAnnouncesMaximum() {
        for (int requested : new int[] {0, 600}) {
            EmbeddedEndpoint endpoint = new EmbeddedEndpoint(CONFIG);
            endpoint.feed(endpoint.encode(agentV5(AGENT, AGENT_PASSWORD, requested)));
            MqttConnAckMessage connAck = (MqttConnAckMessage) endpoint.replies().get(0);
            assertThat(connAck.variableHeader()
                            .properties()
                            .getProperty(MqttProperties.SERVER_KEEP_ALIVE)
                            .value())
                    .isEqualTo(30);
        }
    }

    @Test
    void keepAlive_silentPastOneAndAHalfTimes_disconnect0x8DAndWill() {
        EmbeddedEndpoint endpoint = connected(agentV5(AGENT, AGENT_PASSWORD, 10));

        endpoint.server.advanceTimeBy(14, TimeUnit.SECONDS);
        endpoint.server.runPendingTasks();
        assertThat(endpoint.server.isActive()).as("still inside 1.5 x 10 s").isTrue();
        endpoint.server.advanceTimeBy(2, TimeUnit.SECONDS);
        endpoint.server.runPendingTasks();

        assertThat(disconnectReason(endpoint)).isEqualTo(0x8D);
        assertThat(endpoint.listener.events())
                .containsExactly(
                        "connected " + AGENT,
                        "message " + wire(AGENT, TopicKind.DEATH) + " gone",
                        "disconnected " + AGENT + " abrupt");
    }

    @Test
    void connect_noConnectWithinTimeout_closed() {
        EmbeddedEndpoint endpoint = new EmbeddedEndpoint(CONFIG);

        endpoint.server.advanceTimeBy(CONFIG.connectTimeoutSeconds() + 1, TimeUnit.SECONDS);
        endpoint.server.runPendingTasks();

        assertThat(endpoint.server.isActive()).isFalse();
        assertThat(endpoint.counter("headroom.mqtt.violations", "reason", "connect-timeout"))
                .isEqualTo(1);
    }

    @Test
    void publish_onAnotherAgentsTopicOrCmdOrOtherSite_disconnect0x87NothingDelivered() {
        for (String topic : List.of(
                wire(OTHER_AGENT, TopicKind.DATA),
                wire(AGENT, TopicKind.CMD),
                Topics.agent("other-site", AGENT, TopicKind.DATA).toWire(),
                "garbage/topic",
                Topics.controllerState(SITE).toWire())) {
            EmbeddedEndpoint endpoint = connected(agentV5(AGENT, AGENT_PASSWORD, 30));
            endpoint.feed(endpoint.encode(publish(topic, 1, 1, "forged")));
            assertThat(disconnectReason(endpoint)).as(topic).isEqualTo(0x87);
            assertThat(endpoint.listener.messages())
                    .containsExactly("message " + wire(AGENT, TopicKind.DEATH) + " gone");
            assertThat(endpoint.counter("headroom.mqtt.violations", "reason", "not-authorized"))
                    .isEqualTo(1);
        }
    }

    @Test
    void publish_byObserver_disconnect0x87() {
        EmbeddedEndpoint endpoint =
                connected(connect(MqttVersion.MQTT_5, "", OBSERVER, OBSERVER_PASSWORD, 30, null, new MqttProperties()));
        endpoint.feed(endpoint.encode(publish(wire(AGENT, TopicKind.DATA), 0, 0, "forged")));
        assertThat(disconnectReason(endpoint)).isEqualTo(0x87);
        assertThat(endpoint.listener.events()).isEmpty();
    }

    @Test
    void publish_qos2_disconnect0x9B() {
        EmbeddedEndpoint endpoint = connected(agentV5(AGENT, AGENT_PASSWORD, 30));
        endpoint.feed(endpoint.encode(publish(wire(AGENT, TopicKind.DATA), 2, 1, "exactly once")));
        assertThat(disconnectReason(endpoint)).isEqualTo(0x9B);
        assertThat(endpoint.listener.messages()).noneMatch(m -> m.contains("/data"));
    }

    @Test
    void publish_withTopicAlias_disconnect0x94() {
        EmbeddedEndpoint endpoint = connected(agentV5(AGENT, AGENT_PASSWORD, 30));
        MqttProperties alias = new MqttProperties();
        alias.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, 1));
        endpoint.feed(endpoint.encode(publish(wire(AGENT, TopicKind.DATA), 0, 0, "aliased", alias)));
        assertThat(disconnectReason(endpoint)).isEqualTo(0x94);
    }

    @Test
    void connect_second_disconnect0x82AndWill() {
        EmbeddedEndpoint endpoint = connected(agentV5(AGENT, AGENT_PASSWORD, 30));
        endpoint.feed(endpoint.encode(agentV5(AGENT, AGENT_PASSWORD, 30)));
        assertThat(disconnectReason(endpoint)).isEqualTo(0x82);
        assertThat(endpoint.listener.events()).endsWith("disconnected " + AGENT + " abrupt");
    }

    @Test
    void disconnectWithWillReason0x04_willPublishedNotGraceful() {
        EmbeddedEndpoint endpoint = connected(agentV5(AGENT, AGENT_PASSWORD, 30));
        endpoint.feed(endpoint.encode(MqttClientPackets.disconnect(MqttVersion.MQTT_5, 0x04)));
        assertThat(endpoint.server.isActive()).isFalse();
        assertThat(endpoint.listener.events())
                .containsExactly(
                        "connected " + AGENT,
                        "message " + wire(AGENT, TopicKind.DEATH) + " gone",
                        "disconnected " + AGENT + " abrupt");
    }

    @Test
    void subscribe_agentFiltersCheckedOneByOne() {
        EmbeddedEndpoint endpoint = connected(agentV5(AGENT, AGENT_PASSWORD, 30));
        endpoint.feed(endpoint.encode(subscribe(
                3,
                wire(AGENT, TopicKind.CMD),
                wire(OTHER_AGENT, TopicKind.CMD),
                "headroom/v1/" + SITE + "/" + AGENT + "/+",
                "headroom/#/cmd",
                "$share/g/" + wire(AGENT, TopicKind.ACK),
                Topics.controllerState(SITE).toWire(),
                wire(AGENT, TopicKind.DATA))));
        MqttSubAckMessage subAck = (MqttSubAckMessage) endpoint.replies().get(0);
        assertThat(subAck.payload().reasonCodes()).containsExactly(1, 0x87, 0x87, 0x8F, 0x9E, 1, 0x87);
        assertThat(endpoint.server.isActive()).isTrue();
    }

    @Test
    void subscribe_observerAnythingUnderItsSiteOnly_v3FailureIs0x80() {
        EmbeddedEndpoint endpoint = connected(connect(
                MqttVersion.MQTT_3_1_1,
                "grafana-1",
                OBSERVER,
                OBSERVER_PASSWORD,
                30,
                null,
                MqttProperties.NO_PROPERTIES));
        endpoint.feed(endpoint.encode(subscribe(
                3, "headroom/v1/" + SITE + "/#", "headroom/v1/other/#", "#", "headroom/v1/" + SITE + "/+/data")));
        MqttSubAckMessage subAck = (MqttSubAckMessage) endpoint.replies().get(0);
        assertThat(subAck.payload().reasonCodes()).containsExactly(1, 0x80, 0x80, 1);
    }

    @Test
    void forwarding_agentDataReachesObserverAtMinimumQos() {
        EmbeddedEndpoint observer = connected(
                connect(MqttVersion.MQTT_5, "grafana-1", OBSERVER, OBSERVER_PASSWORD, 30, null, new MqttProperties()));
        observer.feed(observer.encode(subscribe(1, Topics.allAgentsFilter(SITE, TopicKind.DATA))));
        observer.replies();
        EmbeddedEndpoint agent = new EmbeddedEndpoint(observer);
        agent.feed(agent.encode(
                agentV5(AGENT, AGENT_PASSWORD, 30),
                publish(wire(AGENT, TopicKind.DATA), 0, 0, "d1"),
                publish(wire(AGENT, TopicKind.BIRTH), 1, 5, "b1")));

        List<MqttMessage> forwarded = observer.replies();
        assertThat(forwarded).hasSize(1);
        MqttPublishMessage data = (MqttPublishMessage) forwarded.get(0);
        assertThat(data.variableHeader().topicName()).isEqualTo(wire(AGENT, TopicKind.DATA));
        assertThat(data.fixedHeader().qosLevel().value()).isZero();
        assertThat(data.payload().toString(StandardCharsets.UTF_8)).isEqualTo("d1");
        ReferenceCountUtil.release(data);
    }

    @Test
    void outbound_receiveMaximumBoundsInFlight_restWaitsForPuback() {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 2));
        EmbeddedEndpoint endpoint =
                connected(connect(MqttVersion.MQTT_5, AGENT, AGENT, AGENT_PASSWORD, 30, null, properties));
        endpoint.feed(endpoint.encode(subscribe(1, wire(AGENT, TopicKind.CMD))));
        endpoint.replies();

        for (int i = 1; i <= 3; i++) {
            command(endpoint, "c" + i, 0);
        }
        assertThat(publishedPayloads(endpoint)).containsExactly("c1", "c2");
        endpoint.feed(endpoint.encode(pubAck(1)));
        assertThat(publishedPayloads(endpoint)).containsExactly("c3");
    }

    @Test
    void outbound_expiredWhileQueued_droppedAndCounted() {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 1));
        EmbeddedEndpoint endpoint =
                connected(connect(MqttVersion.MQTT_5, AGENT, AGENT, AGENT_PASSWORD, 30, null, properties));
        endpoint.feed(endpoint.encode(subscribe(1, wire(AGENT, TopicKind.CMD))));
        endpoint.replies();
        command(endpoint, "first", 0);
        command(endpoint, "short-lived", 5);
        command(endpoint, "long-lived", 60);
        assertThat(publishedPayloads(endpoint)).containsExactly("first");

        endpoint.nanos.addAndGet(TimeUnit.SECONDS.toNanos(6));
        endpoint.feed(endpoint.encode(pubAck(1)));

        List<MqttMessage> sent = endpoint.replies();
        assertThat(sent).hasSize(1);
        MqttPublishMessage publish = (MqttPublishMessage) sent.get(0);
        assertThat(publish.payload().toString(StandardCharsets.UTF_8)).isEqualTo("long-lived");
        assertThat(publish.variableHeader()
                        .properties()
                        .getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL)
                        .value())
                .isEqualTo(54);
        ReferenceCountUtil.release(publish);
        assertThat(endpoint.counter("headroom.mqtt.dropped", "reason", "expired"))
                .isEqualTo(1);
    }

    @Test
    void outbound_queueFull_oldestDroppedAndCounted() {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 1));
        EmbeddedEndpoint endpoint =
                connected(connect(MqttVersion.MQTT_5, AGENT, AGENT, AGENT_PASSWORD, 30, null, properties));
        endpoint.feed(endpoint.encode(subscribe(1, wire(AGENT, TopicKind.CMD))));
        endpoint.replies();

        for (int i = 0; i <= OutboundDelivery.QUEUE_CAPACITY + 1; i++) {
            command(endpoint, "c" + i, 0);
        }
        assertThat(publishedPayloads(endpoint)).containsExactly("c0");
        endpoint.feed(endpoint.encode(pubAck(1)));

        assertThat(publishedPayloads(endpoint)).as("c1 was the oldest queued").containsExactly("c2");
        assertThat(endpoint.counter("headroom.mqtt.dropped", "reason", "queue-full"))
                .isEqualTo(1);
    }

    @Test
    void takeover_oldSessionGetsDisconnect0x8E_willAndDisconnectBeforeNewConnect() {
        EmbeddedEndpoint first = connected(agentV5(AGENT, AGENT_PASSWORD, 30));
        EmbeddedEndpoint second = new EmbeddedEndpoint(first);

        second.feed(second.encode(agentV5(AGENT, AGENT_PASSWORD, 30)));
        assertThat(second.replies())
                .as("CONNACK waits for the old session to end")
                .isEmpty();
        first.server.runPendingTasks();
        second.server.runPendingTasks();

        assertThat(disconnectReason(first)).isEqualTo(0x8E);
        assertThat(((MqttConnAckMessage) second.replies().get(0))
                        .variableHeader()
                        .connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        assertThat(second.listener.events())
                .containsExactly(
                        "connected " + AGENT,
                        "message " + wire(AGENT, TopicKind.DEATH) + " gone",
                        "disconnected " + AGENT + " abrupt",
                        "connected " + AGENT);
    }

    private static void command(EmbeddedEndpoint endpoint, String payload, int expirySeconds) {
        endpoint.context
                .sessions()
                .route(
                        topic(AGENT, TopicKind.CMD),
                        new OutboundMessage(
                                wire(AGENT, TopicKind.CMD),
                                payload.getBytes(StandardCharsets.UTF_8),
                                1,
                                expirySeconds,
                                endpoint.nanos.get()));
    }

    private static List<String> publishedPayloads(EmbeddedEndpoint endpoint) {
        return endpoint.replies().stream()
                .map(m -> {
                    MqttPublishMessage publish = (MqttPublishMessage) m;
                    String payload = publish.payload().toString(StandardCharsets.UTF_8);
                    ReferenceCountUtil.release(publish);
                    return payload;
                })
                .toList();
    }
}
