package io.headroom.controller.mqtt;

import static io.headroom.controller.mqtt.MqttClientPackets.agentV5;
import static io.headroom.controller.mqtt.MqttClientPackets.publish;
import static io.headroom.controller.mqtt.MqttClientPackets.subscribe;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.wire;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, hot path: the PUBACKs and the application acks of one read batch leave in one flush,
 * not two per Data message; and observers receive Data through their own lane.
 */
class MqttFlushBatchTest {
    private static final int DATA_MESSAGES = 8; // below the agent's Receive Maximum of 10

    /** Counts what reaches the socket end of the pipeline. */
    private static final class Counter extends ChannelOutboundHandlerAdapter {
        int writes;
        int flushes;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            writes++;
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    /** An agent subscribed to its acks, with a listener that acks every Data as ingest does. */
    private static EmbeddedEndpoint ackingAgent() {
        EmbeddedEndpoint endpoint = new EmbeddedEndpoint(TestPrincipals.config(4096, 30, 64));
        endpoint.listener.onMessage(topic -> endpoint.context
                .sessions()
                .route(
                        TestPrincipals.topic(topic.agent(), TopicKind.ACK),
                        new OutboundMessage(
                                wire(topic.agent(), TopicKind.ACK),
                                "ack".getBytes(StandardCharsets.UTF_8),
                                1,
                                0,
                                endpoint.nanos.get())));
        endpoint.feed(endpoint.encode(agentV5(AGENT, AGENT_PASSWORD, 30), subscribe(1, wire(AGENT, TopicKind.ACK))));
        assertThat(endpoint.replies())
                .extracting(m -> m.fixedHeader().messageType())
                .containsExactly(MqttMessageType.CONNACK, MqttMessageType.SUBACK);
        return endpoint;
    }

    private static byte[] dataBatch(EmbeddedEndpoint endpoint) {
        List<MqttMessage> batch = new ArrayList<>();
        for (int i = 1; i <= DATA_MESSAGES; i++) {
            batch.add(publish(wire(AGENT, TopicKind.DATA), 1, 100 + i, "data " + i));
        }
        return endpoint.encode(batch.toArray(MqttMessage[]::new));
    }

    @Test
    void dataMessagesOfOneRead_theirPubAcksAndAcks_leaveInOneFlush() {
        EmbeddedEndpoint endpoint = ackingAgent();
        Counter counter = new Counter();
        endpoint.server.pipeline().addFirst("count", counter);

        endpoint.feed(dataBatch(endpoint));

        assertThat(counter.flushes).isEqualTo(1);
        assertThat(counter.writes).isEqualTo(2 * DATA_MESSAGES);
        List<MqttMessage> replies = endpoint.replies();
        assertThat(replies)
                .filteredOn(m -> m.fixedHeader().messageType() == MqttMessageType.PUBACK)
                .hasSize(DATA_MESSAGES);
        assertThat(replies)
                .filteredOn(m -> m.fixedHeader().messageType() == MqttMessageType.PUBLISH)
                .allSatisfy(m -> assertThat(
                                ((MqttPublishMessage) m).variableHeader().topicName())
                        .isEqualTo(wire(AGENT, TopicKind.ACK)))
                .hasSize(DATA_MESSAGES);
        replies.forEach(ReferenceCountUtil::release);
        assertThat(endpoint.listener.messages()).hasSize(DATA_MESSAGES);
    }

    @Test
    void pingReq_isAnsweredAtTheEndOfItsRead() {
        EmbeddedEndpoint endpoint = ackingAgent();
        Counter counter = new Counter();
        endpoint.server.pipeline().addFirst("count", counter);

        endpoint.feed(endpoint.encode(MqttMessage.PINGREQ, MqttMessage.PINGREQ));

        assertThat(counter.flushes).isEqualTo(1);
        assertThat(endpoint.replies())
                .extracting(m -> m.fixedHeader().messageType())
                .containsExactly(MqttMessageType.PINGRESP, MqttMessageType.PINGRESP);
    }

    @Test
    void dataForAnObserver_goesThroughItsLane_andWaitsForTheObserversEventLoop() {
        EmbeddedEndpoint agent = ackingAgent();
        EmbeddedEndpoint observer = new EmbeddedEndpoint(agent);
        observer.feed(observer.encode(
                MqttClientPackets.connect(
                        MqttVersion.MQTT_5, "viewer-1", OBSERVER, OBSERVER_PASSWORD, 30, null, new MqttProperties()),
                subscribe(1, "headroom/v1/" + TestPrincipals.SITE + "/+/data")));
        assertThat(observer.replies())
                .extracting(m -> m.fixedHeader().messageType())
                .containsExactly(MqttMessageType.CONNACK, MqttMessageType.SUBACK);
        MqttSession viewer = agent.context.sessions().get("viewer-1");
        assertThat(viewer.lane()).isNotNull();

        agent.feed(agent.encode(publish(wire(AGENT, TopicKind.DATA), 1, 2, "seen")));
        agent.replies().forEach(ReferenceCountUtil::release);
        assertThat(viewer.lane().waiting()).isEqualTo(1); // waits for the observer's own event loop

        List<MqttMessage> forwarded = observer.replies();
        assertThat(forwarded).hasSize(1);
        MqttPublishMessage data = (MqttPublishMessage) forwarded.get(0);
        assertThat(data.payload().toString(StandardCharsets.UTF_8)).isEqualTo("seen");
        data.release();
        assertThat(viewer.lane().waiting()).isZero();
    }

    /**
     * The Data path copies a payload for observers only when one will receive it (issue 9): the
     * gate says no with no observer, no for an observer of births only, yes once one subscribes to
     * Data, and the agent's own subscription to its acks does not count.
     */
    @Test
    void thePayloadCopyGate_opensOnlyForASubscriberOfThatData() {
        EmbeddedEndpoint agent = ackingAgent();
        Topic.AgentTopic data = TestPrincipals.topic(AGENT, TopicKind.DATA);
        String wire = wire(AGENT, TopicKind.DATA);
        assertThat(agent.context.sessions().anySubscriber(data, wire)).isFalse();

        EmbeddedEndpoint observer = new EmbeddedEndpoint(agent);
        observer.feed(observer.encode(
                MqttClientPackets.connect(
                        MqttVersion.MQTT_5, "viewer-1", OBSERVER, OBSERVER_PASSWORD, 30, null, new MqttProperties()),
                subscribe(1, "headroom/v1/" + TestPrincipals.SITE + "/+/birth")));
        observer.replies().forEach(ReferenceCountUtil::release);
        assertThat(agent.context.sessions().anySubscriber(data, wire)).isFalse();

        observer.feed(observer.encode(subscribe(2, "headroom/v1/" + TestPrincipals.SITE + "/+/data")));
        observer.replies().forEach(ReferenceCountUtil::release);
        assertThat(agent.context.sessions().anySubscriber(data, wire)).isTrue();

        agent.feed(agent.encode(publish(wire, 1, 2, "seen")));
        agent.replies().forEach(ReferenceCountUtil::release);
        List<MqttMessage> forwarded = observer.replies();
        assertThat(forwarded).hasSize(1);
        forwarded.forEach(ReferenceCountUtil::release);
    }
}
