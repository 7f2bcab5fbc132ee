package io.headroom.controller.mqtt;

import static io.headroom.controller.mqtt.MqttClientPackets.agentV3;
import static io.headroom.controller.mqtt.MqttClientPackets.agentV5;
import static io.headroom.controller.mqtt.MqttClientPackets.disconnect;
import static io.headroom.controller.mqtt.MqttClientPackets.pubAck;
import static io.headroom.controller.mqtt.MqttClientPackets.publish;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.topic;
import static io.headroom.controller.mqtt.TestPrincipals.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.headroom.protocol.TopicKind;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's real pipeline fed with bytes from Netty's own encoder: every packet type we
 * accept, split at every byte boundary, one byte at a time, and coalesced; and garbage.
 */
class MqttPipelineTest {
    private static final MqttEndpointConfig CONFIG = TestPrincipals.config(4096, 30, 64);
    private static final List<String> SCRIPT_EVENTS = List.of(
            "connected " + AGENT,
            "message " + wire(AGENT, TopicKind.BIRTH) + " birth",
            "message " + wire(AGENT, TopicKind.DATA) + " data");

    /** The packets of one session, in three phases: before and after the controller publishes a command, then DISCONNECT. */
    private record Script(byte[] beforeCommand, byte[] afterCommand, byte[] disconnect) {}

    private static Script script(EmbeddedEndpoint endpoint, MqttVersion version) {
        MqttMessage connect =
                version == MqttVersion.MQTT_5 ? agentV5(AGENT, AGENT_PASSWORD, 30) : agentV3(AGENT, AGENT_PASSWORD, 30);
        byte[] before = endpoint.encode(
                connect,
                MqttMessageBuilders.subscribe()
                        .messageId(1)
                        .addSubscription(MqttQoS.AT_LEAST_ONCE, wire(AGENT, TopicKind.CMD))
                        .addSubscription(MqttQoS.AT_MOST_ONCE, wire(AGENT, TopicKind.ACK))
                        .build(),
                publish(wire(AGENT, TopicKind.BIRTH), 1, 7, "birth"),
                publish(wire(AGENT, TopicKind.DATA), 0, 0, "data"),
                MqttMessage.PINGREQ,
                MqttMessageBuilders.unsubscribe()
                        .messageId(2)
                        .addTopicFilter(wire(AGENT, TopicKind.ACK))
                        .build());
        byte[] after = endpoint.encode(pubAck(1), MqttMessage.PINGREQ);
        byte[] bye = endpoint.encode(disconnect(version, 0));
        return new Script(before, after, bye);
    }

    /** Runs one session, feeding each phase with the given feeders, and checks every reply and call. */
    private static void runSession(
            MqttVersion version,
            BiConsumer<EmbeddedEndpoint, byte[]> feedBefore,
            BiConsumer<EmbeddedEndpoint, byte[]> feedAfter) {
        EmbeddedEndpoint endpoint = new EmbeddedEndpoint(CONFIG);
        Script script = script(endpoint, version);
        feedBefore.accept(endpoint, script.beforeCommand());

        List<MqttMessage> replies = endpoint.replies();
        assertThat(replies)
                .extracting(m -> m.fixedHeader().messageType())
                .containsExactly(
                        MqttMessageType.CONNACK,
                        MqttMessageType.SUBACK,
                        MqttMessageType.PUBACK,
                        MqttMessageType.PINGRESP,
                        MqttMessageType.UNSUBACK);
        MqttConnAckMessage connAck = (MqttConnAckMessage) replies.get(0);
        assertThat(connAck.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        assertThat(connAck.variableHeader().isSessionPresent()).isFalse();
        if (version == MqttVersion.MQTT_5) {
            MqttProperties properties = connAck.variableHeader().properties();
            assertThat(properties.getProperty(MqttProperties.SERVER_KEEP_ALIVE).value())
                    .isEqualTo(30);
            assertThat(properties.getProperty(MqttProperties.MAXIMUM_QOS).value())
                    .isEqualTo(1);
            assertThat(properties
                            .getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL)
                            .value())
                    .isEqualTo(0);
            assertThat(properties
                            .getProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM)
                            .value())
                    .isEqualTo(0);
            assertThat(properties.getProperty(MqttProperties.RECEIVE_MAXIMUM).value())
                    .isEqualTo(64);
            assertThat(properties
                            .getProperty(MqttProperties.MAXIMUM_PACKET_SIZE)
                            .value())
                    .isEqualTo(4096);
        }
        assertThat(((MqttSubAckMessage) replies.get(1)).payload().reasonCodes()).containsExactly(1, 0);
        assertThat(((MqttPubAckMessage) replies.get(2)).variableHeader().messageId())
                .isEqualTo(7);
        assertThat(((MqttUnsubAckMessage) replies.get(4)).variableHeader().messageId())
                .isEqualTo(2);
        assertThat(endpoint.listener.events()).containsExactlyElementsOf(SCRIPT_EVENTS);

        int queued = endpoint.context
                .sessions()
                .route(
                        topic(AGENT, TopicKind.CMD),
                        new OutboundMessage(
                                wire(AGENT, TopicKind.CMD),
                                "reboot".getBytes(StandardCharsets.UTF_8),
                                1,
                                60,
                                endpoint.nanos.get()));
        assertThat(queued).isEqualTo(1);
        assertThat(endpoint.context
                        .sessions()
                        .route(
                                topic(AGENT, TopicKind.ACK),
                                new OutboundMessage(
                                        wire(AGENT, TopicKind.ACK), new byte[] {1}, 1, 0, endpoint.nanos.get())))
                .as("unsubscribed")
                .isZero();
        List<MqttMessage> command = endpoint.replies();
        assertThat(command).hasSize(1);
        MqttPublishMessage publish = (MqttPublishMessage) command.get(0);
        assertThat(publish.variableHeader().topicName()).isEqualTo(wire(AGENT, TopicKind.CMD));
        assertThat(publish.variableHeader().packetId()).isEqualTo(1);
        assertThat(publish.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
        assertThat(publish.payload().toString(StandardCharsets.UTF_8)).isEqualTo("reboot");
        if (version == MqttVersion.MQTT_5) {
            assertThat(publish.variableHeader()
                            .properties()
                            .getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL)
                            .value())
                    .isEqualTo(60);
        }
        ReferenceCountUtil.release(publish);
        MqttSession session = endpoint.server.attr(MqttSession.KEY).get();
        assertThat(session.outbound().inFlight()).isEqualTo(1);

        feedAfter.accept(endpoint, script.afterCommand());
        assertThat(session.outbound().inFlight()).as("PUBACK freed the slot").isZero();
        assertThat(endpoint.replies())
                .extracting(m -> m.fixedHeader().messageType())
                .containsExactly(MqttMessageType.PINGRESP);

        endpoint.feed(script.disconnect());
        assertThat(endpoint.server.isActive()).isFalse();
        assertThat(endpoint.listener.events())
                .endsWith("disconnected " + AGENT + " graceful")
                .noneMatch(e -> e.contains("/death"));
        assertThat(endpoint.replies()).isEmpty();
        assertFalse(endpoint.server.finish());
    }

    private static BiConsumer<EmbeddedEndpoint, byte[]> whole() {
        return EmbeddedEndpoint::feed;
    }

    private static BiConsumer<EmbeddedEndpoint, byte[]> splitAt(int at) {
        return (endpoint, bytes) -> endpoint.feedSplit(bytes, at);
    }

    private static void everySplit(MqttVersion version) {
        int beforeLength = script(new EmbeddedEndpoint(CONFIG), version).beforeCommand().length;
        for (int at = 1; at < beforeLength; at++) {
            runSession(version, splitAt(at), whole());
        }
        int afterLength = script(new EmbeddedEndpoint(CONFIG), version).afterCommand().length;
        for (int at = 1; at < afterLength; at++) {
            runSession(version, whole(), splitAt(at));
        }
    }

    @Test
    void v5Session_splitAtEveryByteBoundary_everyPacketHandled() {
        everySplit(MqttVersion.MQTT_5);
    }

    @Test
    void v3Session_splitAtEveryByteBoundary_everyPacketHandled() {
        everySplit(MqttVersion.MQTT_3_1_1);
    }

    @Test
    void sessions_fedOneByteAtATime_everyPacketHandled() {
        BiConsumer<EmbeddedEndpoint, byte[]> oneByteAtATime = (endpoint, bytes) -> {
            for (byte b : bytes) {
                endpoint.feed(new byte[] {b});
            }
        };
        runSession(MqttVersion.MQTT_5, oneByteAtATime, oneByteAtATime);
        runSession(MqttVersion.MQTT_3_1_1, oneByteAtATime, oneByteAtATime);
    }

    @Test
    void sessions_packetsCoalescedIntoOneBuffer_everyPacketHandled() {
        runSession(MqttVersion.MQTT_5, whole(), whole());
        runSession(MqttVersion.MQTT_3_1_1, whole(), whole());
    }

    @Test
    void randomGarbage_beforeConnect_closedWithoutDeliveringAnything() {
        Random random = new Random(0x5EED_0001L);
        for (int run = 0; run < 500; run++) {
            EmbeddedEndpoint endpoint = new EmbeddedEndpoint(CONFIG);
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            endpoint.feed(garbage);
            // Garbage that looks like the start of a long packet waits for more: the connect timeout ends it.
            endpoint.server.advanceTimeBy(CONFIG.connectTimeoutSeconds() + 1, TimeUnit.SECONDS);
            endpoint.server.runPendingTasks();
            assertThat(endpoint.server.isActive())
                    .as("run %d: %s", run, Arrays.toString(garbage))
                    .isFalse();
            assertThat(endpoint.listener.events()).isEmpty();
            endpoint.replies().forEach(ReferenceCountUtil::release);
            assertFalse(endpoint.server.finish());
        }
    }

    @Test
    void randomGarbage_afterConnect_closedAndOnlyTheWillIsDelivered() {
        Random random = new Random(0x5EED_0002L);
        Set<Integer> reasons = Set.of(0x81, 0x82, 0x87, 0x8D, 0x94, 0x95, 0x9B, 0xA1);
        for (int run = 0; run < 300; run++) {
            EmbeddedEndpoint endpoint = new EmbeddedEndpoint(CONFIG);
            endpoint.feed(endpoint.encode(agentV5(AGENT, AGENT_PASSWORD, 30)));
            assertThat(endpoint.replies()).hasSize(1);
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            endpoint.feed(garbage);
            endpoint.server.advanceTimeBy(46, TimeUnit.SECONDS); // past 1.5 x keep-alive
            endpoint.server.runPendingTasks();
            assertThat(endpoint.server.isActive())
                    .as("run %d: %s", run, Arrays.toString(garbage))
                    .isFalse();
            assertThat(endpoint.listener.messages())
                    .allMatch(m -> m.startsWith("message " + wire(AGENT, TopicKind.DEATH)));
            List<MqttMessage> replies = endpoint.replies();
            MqttMessage last = replies.get(replies.size() - 1);
            if (last.fixedHeader().messageType() == MqttMessageType.DISCONNECT) {
                int reason = ((MqttReasonCodeAndPropertiesVariableHeader) last.variableHeader()).reasonCode() & 0xFF;
                assertThat(reasons).contains(reason);
            }
            replies.forEach(ReferenceCountUtil::release);
            assertFalse(endpoint.server.finish());
        }
    }

    @Test
    void remainingLengthOfFiveBytes_beforeConnect_closedAsMalformed() {
        EmbeddedEndpoint endpoint = new EmbeddedEndpoint(CONFIG);
        endpoint.feed(new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01});
        assertClosedAsMalformedBeforeConnect(endpoint);
    }

    @Test
    void reservedPacketTypeZero_beforeConnect_closedAsMalformed() {
        EmbeddedEndpoint endpoint = new EmbeddedEndpoint(CONFIG);
        endpoint.feed(new byte[] {0x00, 0x00});
        assertClosedAsMalformedBeforeConnect(endpoint);
    }

    @Test
    void publishBeforeConnect_closedAsProtocolError() {
        EmbeddedEndpoint endpoint = new EmbeddedEndpoint(CONFIG);
        endpoint.feed(endpoint.encode(publish(wire(AGENT, TopicKind.DATA), 0, 0, "early")));
        assertThat(endpoint.server.isActive()).isFalse();
        assertThat(endpoint.counter("headroom.mqtt.violations", "reason", "protocol-error"))
                .isEqualTo(1);
        assertThat(endpoint.listener.events()).isEmpty();
        assertFalse(endpoint.server.finish());
    }

    private static void assertClosedAsMalformedBeforeConnect(EmbeddedEndpoint endpoint) {
        assertThat(endpoint.server.isActive()).isFalse();
        assertThat(endpoint.counter("headroom.mqtt.violations", "reason", "malformed-packet"))
                .isEqualTo(1);
        assertThat(endpoint.replies()).isEmpty();
        assertThat(endpoint.listener.events()).isEmpty();
        assertFalse(endpoint.server.finish());
    }

    @Test
    void subscribeWithReservedFlags_afterConnect_disconnect0x81AndWill() {
        assertDisconnectAfterConnect(
                new byte[] {(byte) 0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x01}, 0x81, "malformed-packet");
    }

    @Test
    void publishWithQos3_afterConnect_disconnect0x81AndWill() {
        assertDisconnectAfterConnect(new byte[] {0x36, 0x05, 0x00, 0x01, 'a', 0x00, 0x01}, 0x81, "malformed-packet");
    }

    @Test
    void badRemainingLength_afterConnect_disconnect0x81AndWill() {
        assertDisconnectAfterConnect(
                new byte[] {0x30, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}, 0x81, "malformed-packet");
    }

    @Test
    void publishOneByteOverMaximumPacketSize_disconnect0x95() {
        EmbeddedEndpoint probe = new EmbeddedEndpoint(CONFIG);
        probe.encode(agentV5(AGENT, AGENT_PASSWORD, 30));
        byte[] exact = probe.encode(publishOfTotalSize(probe, CONFIG.maxPacketSize()));
        assertThat(exact).hasSize(CONFIG.maxPacketSize());

        EmbeddedEndpoint accepted = new EmbeddedEndpoint(CONFIG);
        accepted.feed(accepted.encode(agentV5(AGENT, AGENT_PASSWORD, 30)));
        accepted.feed(exact);
        assertThat(accepted.server.isActive())
                .as("a packet of exactly maxPacketSize is accepted")
                .isTrue();
        assertThat(accepted.listener.messages()).hasSize(1);

        EmbeddedEndpoint refused = new EmbeddedEndpoint(CONFIG);
        refused.encode(agentV5(AGENT, AGENT_PASSWORD, 30));
        byte[] tooLarge = refused.encode(publishOfTotalSize(refused, CONFIG.maxPacketSize() + 1));
        assertThat(tooLarge).hasSize(CONFIG.maxPacketSize() + 1);
        assertDisconnectAfterConnect(tooLarge, 0x95, "packet-too-large");
    }

    /** A QoS 0 data PUBLISH whose encoded size, fixed header included, is exactly {@code size}. */
    private static MqttPublishMessage publishOfTotalSize(EmbeddedEndpoint endpoint, int size) {
        int overhead = endpoint.encode(publish(wire(AGENT, TopicKind.DATA), 0, 0, "x".repeat(2000))).length - 2000;
        return publish(wire(AGENT, TopicKind.DATA), 0, 0, "x".repeat(size - overhead));
    }

    private static void assertDisconnectAfterConnect(byte[] bytes, int reason, String violation) {
        EmbeddedEndpoint endpoint = new EmbeddedEndpoint(CONFIG);
        endpoint.feed(endpoint.encode(agentV5(AGENT, AGENT_PASSWORD, 30)));
        assertThat(endpoint.replies()).hasSize(1);
        endpoint.feed(bytes);
        List<MqttMessage> replies = endpoint.replies();
        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) replies.get(0).variableHeader()).reasonCode() & 0xFF)
                .isEqualTo(reason);
        assertThat(endpoint.server.isActive()).isFalse();
        assertThat(endpoint.counter("headroom.mqtt.violations", "reason", violation))
                .isEqualTo(1);
        assertThat(endpoint.listener.events())
                .containsExactly(
                        "connected " + AGENT,
                        "message " + wire(AGENT, TopicKind.DEATH) + " gone",
                        "disconnected " + AGENT + " abrupt");
        assertFalse(endpoint.server.finish());
    }
}
