package io.headroom.controller.mqtt;

import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;

/**
 * Takes a client's PUBLISH: checks it against the topic ACL, hands it to the listener, forwards it
 * to subscribed observers, and acknowledges QoS 1 once the listener returned.
 *
 * <p>Refused: a topic alias (we announce Topic Alias Maximum 0), QoS 2 (we announce Maximum QoS 1),
 * and any topic that is not one of the publishing agent's own agent-to-controller topics (which
 * includes every publish by an observer). Each closes the connection. The retain flag of an agent's
 * publish is ignored; the endpoint itself retains a copy of each agent's latest Birth for late
 * observers (see {@link RetainedMessages}) and clears it on the agent's Death.
 */
final class InboundPublishRouter {
    private final EndpointContext context;

    InboundPublishRouter(EndpointContext context) {
        this.context = context;
    }

    void onPublish(MqttSession session, MqttPublishMessage publish) {
        MqttPublishVariableHeader header = publish.variableHeader();
        MqttProperties properties = header.properties();
        if (properties != null && properties.getProperty(MqttProperties.TOPIC_ALIAS) != null) {
            Disconnects.violation(
                    context,
                    session,
                    ProtocolViolation.TOPIC_ALIAS_INVALID,
                    "topic alias used, but Topic Alias Maximum is 0");
            return;
        }
        int qos = publish.fixedHeader().qosLevel().value();
        if (qos > 1) {
            Disconnects.violation(
                    context,
                    session,
                    ProtocolViolation.QOS_NOT_SUPPORTED,
                    "PUBLISH at QoS " + qos + " on '" + header.topicName() + "'");
            return;
        }
        Topic.AgentTopic topic = context.acl().publishable(session.role(), session.username(), header.topicName());
        if (topic == null) {
            Disconnects.violation(
                    context,
                    session,
                    ProtocolViolation.NOT_AUTHORIZED,
                    "PUBLISH on '" + header.topicName() + "' is not allowed");
            return;
        }
        ByteBuf payload = publish.payload();
        context.metrics().received(topic.kind().wireName());
        context.agentMessage(topic, payload.nioBuffer().asReadOnlyBuffer());
        forward(topic, payload, qos, properties);
        if (qos == 1) {
            session.channel()
                    .writeAndFlush(MqttMessageBuilders.pubAck()
                            .packetId(header.packetId())
                            .build());
        }
    }

    /** Observers see agents' messages as published, with the expiry the agent gave them. */
    private void forward(Topic.AgentTopic topic, ByteBuf payload, int qos, MqttProperties properties) {
        long expiry =
                MqttConnectHandler.intProperty(properties, MqttProperties.PUBLICATION_EXPIRY_INTERVAL, 0) & 0xFFFFFFFFL;
        OutboundMessage message =
                new OutboundMessage(topic.toWire(), ByteBufUtil.getBytes(payload), qos, expiry, context.nanoTime());
        if (topic.kind() == TopicKind.BIRTH) {
            // Late observers (issue 8, problem 8): the latest Birth stays retained while the agent lives.
            context.retained().retain(message);
        } else if (topic.kind() == TopicKind.DEATH) {
            context.retained().clear(context.acl().birthTopic(topic.agent()));
        }
        context.sessions().route(topic, message);
    }
}
