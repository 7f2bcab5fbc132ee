package io.headroom.controller.mqtt;

import io.headroom.controller.grid.signal.DropReason;
import io.headroom.controller.grid.signal.GridSignalReceiver;
import io.headroom.controller.grid.signal.SignalOutcome;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import java.util.EnumSet;
import java.util.Set;

/**
 * Takes a client's PUBLISH: checks it against the topic ACL, hands it to the listener, forwards it
 * to subscribed observers, and acknowledges QoS 1 once the listener returned.
 *
 * <p>Refused: a topic alias (we announce Topic Alias Maximum 0), QoS 2 (we announce Maximum QoS 1),
 * and any topic that is not one of the publishing agent's own agent-to-controller topics or, for a
 * grid principal, the site's grid signal topic, or for a price principal one of the site's market
 * price topics (which includes every publish by an observer).
 * Each closes the connection. The retain flag of an agent's
 * publish is ignored; the endpoint itself retains a copy of each agent's latest Birth for late
 * observers (see {@link RetainedMessages}) and clears it on the agent's Death.
 */
final class InboundPublishRouter {
    private static final byte PAYLOAD_FORMAT_INVALID = (byte) 0x99;
    private static final byte IMPLEMENTATION_SPECIFIC = (byte) 0x83;
    private static final Set<DropReason> PAYLOAD_REASONS = EnumSet.of(
            DropReason.TOO_LARGE,
            DropReason.MALFORMED,
            DropReason.MISSING_KEY,
            DropReason.UNKNOWN_KEY,
            DropReason.WRONG_TYPE,
            DropReason.OUT_OF_RANGE,
            DropReason.BAD_TIMESTAMP);

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
        Topic allowed = context.acl().publishable(session.role(), session.username(), header.topicName());
        if (allowed instanceof Topic.GridSignalTopic gridTopic) {
            onGridSignal(session, publish, gridTopic, qos);
            return;
        }
        if (allowed instanceof Topic.MarketPriceTopic priceTopic) {
            onPrice(session, publish, priceTopic, qos);
            return;
        }
        if (!(allowed instanceof Topic.AgentTopic topic)) {
            Disconnects.violation(
                    context,
                    session,
                    ProtocolViolation.NOT_AUTHORIZED,
                    "PUBLISH on '" + header.topicName() + "' is not allowed");
            return;
        }
        ByteBuf payload = publish.payload();
        context.metrics().received(topic.kind());
        context.agentMessage(topic, payload.nioBuffer().asReadOnlyBuffer());
        forward(topic, payload, qos, properties);
        if (qos == 1) {
            // Flushed at the end of the read batch, together with the application ack.
            session.channel()
                    .write(
                            MqttMessageBuilders.pubAck()
                                    .packetId(header.packetId())
                                    .build(),
                            session.channel().voidPromise());
        }
    }

    /**
     * A grid principal's signal goes to the receiver. An accepted one is forwarded to observers; a
     * dropped one is answered, at QoS 1 over MQTT 5, with PUBACK 0x99 (Payload format invalid) when
     * the payload is not a valid signal and 0x83 (Implementation specific error) when it is valid
     * but refused (future, expired, older). Neither closes the connection: the publisher is who it
     * says it is, and its next signal may well be good. A duplicate (the accepted signal's
     * timestamp again, e.g. a redelivery) is counted but answered 0x00: that signal is in force.
     * (A publisher that repeats its signal should not see errors for it.)
     */
    private void onGridSignal(MqttSession session, MqttPublishMessage publish, Topic.GridSignalTopic topic, int qos) {
        GridSignalReceiver receiver = context.gridSignals();
        if (receiver == null) {
            Disconnects.violation(
                    context,
                    session,
                    ProtocolViolation.NOT_AUTHORIZED,
                    "PUBLISH on '" + topic.toWire() + "': the grid signal is not enabled (grid-signal.enabled)");
            return;
        }
        ByteBuf payload = publish.payload();
        context.metrics().receivedGridSignal();
        SignalOutcome outcome = receiver.receive(payload.nioBuffer().asReadOnlyBuffer(), session.username());
        byte reasonCode = 0x00;
        if (outcome instanceof SignalOutcome.Dropped dropped) {
            if (dropped.reason() != DropReason.DUPLICATE) {
                reasonCode =
                        PAYLOAD_REASONS.contains(dropped.reason()) ? PAYLOAD_FORMAT_INVALID : IMPLEMENTATION_SPECIFIC;
            }
        } else {
            OutboundMessage message =
                    new OutboundMessage(topic.toWire(), ByteBufUtil.getBytes(payload), qos, 0, context.nanoTime());
            context.sessions().routeToObservers(message);
        }
        if (qos == 1) {
            session.channel()
                    .write(
                            MqttMessageBuilders.pubAck()
                                    .packetId(publish.variableHeader().packetId())
                                    .reasonCode(reasonCode)
                                    .build(),
                            session.channel().voidPromise());
        }
    }

    /**
     * A price principal's price goes to the market's feed, answered as a grid signal is: at QoS 1,
     * PUBACK 0x99 for a payload that is not a valid price, 0x83 for a valid one refused now (future,
     * out of order, a flood), 0x00 when taken (and then forwarded to observers). A topic of an input
     * that is not fed over MQTT closes the connection as not authorised, like any topic not allowed.
     */
    private void onPrice(MqttSession session, MqttPublishMessage publish, Topic.MarketPriceTopic topic, int qos) {
        io.headroom.controller.market.MarketPriceFeed feed = context.prices();
        if (feed == null || !feed.takes(topic.input())) {
            Disconnects.violation(
                    context,
                    session,
                    ProtocolViolation.NOT_AUTHORIZED,
                    "PUBLISH on '" + topic.toWire() + "': market input '" + topic.input()
                            + "' does not take prices over MQTT (market.<input>.source: mqtt)");
            return;
        }
        ByteBuf payload = publish.payload();
        context.metrics().receivedPrice();
        var drop = feed.receive(topic.input(), payload.nioBuffer().asReadOnlyBuffer(), session.username());
        byte reasonCode = 0x00;
        if (drop.isPresent()) {
            reasonCode = drop.get().reason().payload() ? PAYLOAD_FORMAT_INVALID : IMPLEMENTATION_SPECIFIC;
        } else {
            OutboundMessage message =
                    new OutboundMessage(topic.toWire(), ByteBufUtil.getBytes(payload), qos, 0, context.nanoTime());
            context.sessions().routeToObservers(message);
        }
        if (qos == 1) {
            session.channel()
                    .write(
                            MqttMessageBuilders.pubAck()
                                    .packetId(publish.variableHeader().packetId())
                                    .reasonCode(reasonCode)
                                    .build(),
                            session.channel().voidPromise());
        }
    }

    /** Observers see agents' messages as published, with the expiry the agent gave them. */
    private void forward(Topic.AgentTopic topic, ByteBuf payload, int qos, MqttProperties properties) {
        if (topic.kind() == TopicKind.DEATH) {
            context.retained().clear(context.acl().birthTopic(topic.agent()));
        }
        String wire = topic.toWire();
        boolean birth = topic.kind() == TopicKind.BIRTH;
        if (!birth && !context.sessions().anySubscriber(topic, wire)) {
            return; // no copy of a payload nobody receives (issue 9: ~4 % of the Data path)
        }
        long expiry =
                MqttConnectHandler.intProperty(properties, MqttProperties.PUBLICATION_EXPIRY_INTERVAL, 0) & 0xFFFFFFFFL;
        OutboundMessage message =
                new OutboundMessage(wire, ByteBufUtil.getBytes(payload), qos, expiry, context.nanoTime());
        if (birth) {
            // Late observers (issue 8, problem 8): the latest Birth stays retained while the agent lives.
            context.retained().retain(message);
        }
        context.sessions().route(topic, message);
    }
}
