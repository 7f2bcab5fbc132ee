package io.headroom.controller.mqtt;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUBSCRIBE and UNSUBSCRIBE for one session: each filter is checked against the topic ACL on its
 * own; a refused filter fails alone (SUBACK 0x87 / 0x8F / 0x9E in MQTT 5, 0x80 in 3.1.1). Granted
 * QoS is the requested one capped at 1. Retained messages matching a new subscription follow the
 * SUBACK, with the retain flag set, as its Retain Handling option asks (MQTT 5 §3.8.3.1).
 */
final class SubscriptionRequests {
    private static final Logger logger = LoggerFactory.getLogger(SubscriptionRequests.class);
    private static final int V3_FAILURE = 0x80;

    private final EndpointContext context;

    SubscriptionRequests(EndpointContext context) {
        this.context = context;
    }

    void onSubscribe(MqttSession session, MqttSubscribeMessage subscribe) {
        MqttProperties properties = subscribe.idAndPropertiesVariableHeader().properties();
        if (properties != null && properties.getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER) != null) {
            Disconnects.violation(
                    context,
                    session,
                    ProtocolViolation.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
                    "SUBSCRIBE with a subscription identifier, which CONNACK said is not available");
            return;
        }
        List<MqttTopicSubscription> requests = subscribe.payload().topicSubscriptions();
        int[] codes = new int[requests.size()];
        List<MqttSession.Subscription> sendRetained = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            MqttTopicSubscription request = requests.get(i);
            String filter = request.topicFilter();
            TopicAcl.SubscribeDecision decision = context.acl().subscribe(session.role(), session.username(), filter);
            if (decision != TopicAcl.SubscribeDecision.GRANTED) {
                context.metrics().violation("subscribe-refused");
                if (session.warnOnce()) {
                    logger.warn("MQTT: {} may not subscribe to '{}' ({})", session, filter, decision);
                }
                codes[i] = session.isV5() ? decision.reasonCode() : V3_FAILURE;
                continue;
            }
            MqttSubscriptionOption option = request.option();
            int qos = Math.min(1, option.qos().value());
            boolean existed = session.subscriptions().containsKey(filter);
            MqttSession.Subscription subscription = new MqttSession.Subscription(filter, qos);
            session.subscribe(subscription);
            codes[i] = qos;
            MqttSubscriptionOption.RetainedHandlingPolicy retainHandling = option.retainHandling();
            if (retainHandling == MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE
                    || (retainHandling
                                    == MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE_IF_NOT_YET_EXISTS
                            && !existed)) {
                sendRetained.add(subscription);
            }
        }
        MqttSubAckMessage subAck = new MqttSubAckMessage(
                new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(
                        subscribe.idAndPropertiesVariableHeader().messageId(), MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes));
        session.channel().writeAndFlush(subAck);
        long now = context.nanoTime();
        for (MqttSession.Subscription subscription : sendRetained) {
            for (OutboundMessage message : context.retained().matching(subscription.filter(), now)) {
                session.outbound().enqueue(message, Math.min(message.qos(), subscription.qos()), true);
            }
        }
    }

    void onUnsubscribe(MqttSession session, MqttUnsubscribeMessage unsubscribe) {
        List<String> filters = unsubscribe.payload().topics();
        short[] codes = new short[filters.size()];
        for (int i = 0; i < filters.size(); i++) {
            // MQTT 5 §3.11.3: 0x00 Success, 0x11 No subscription existed.
            codes[i] = session.unsubscribe(filters.get(i)) ? (short) 0x00 : (short) 0x11;
        }
        MqttUnsubAckMessage unsubAck = new MqttUnsubAckMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(
                        unsubscribe.idAndPropertiesVariableHeader().messageId(), MqttProperties.NO_PROPERTIES),
                new MqttUnsubAckPayload(codes));
        session.channel().writeAndFlush(unsubAck);
    }
}
