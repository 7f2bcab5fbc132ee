package io.headroom.controller.mqtt;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;

/** Client packets built with Netty's own builders, for the embedded tests. */
final class MqttClientPackets {
    private MqttClientPackets() {}

    static MqttConnectMessage connect(
            MqttVersion version,
            String clientId,
            String username,
            String password,
            int keepAlive,
            String willTopic,
            MqttProperties properties) {
        MqttMessageBuilders.ConnectBuilder builder = MqttMessageBuilders.connect()
                .protocolVersion(version)
                .clientId(clientId)
                .cleanSession(true)
                .keepAlive(keepAlive)
                .hasUser(username != null)
                .username(username)
                .hasPassword(password != null)
                .password(password == null ? null : password.getBytes(StandardCharsets.UTF_8))
                .properties(properties);
        if (willTopic != null) {
            MqttProperties willProperties = new MqttProperties();
            if (version == MqttVersion.MQTT_5) {
                willProperties.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, 120));
            }
            builder.willFlag(true)
                    .willQoS(MqttQoS.AT_LEAST_ONCE)
                    .willTopic(willTopic)
                    .willMessage("gone".getBytes(StandardCharsets.UTF_8))
                    .willRetain(false)
                    .willProperties(willProperties);
        }
        return builder.build();
    }

    static MqttConnectMessage agentV5(String agent, String password, int keepAlive) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 60));
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 10));
        return connect(
                MqttVersion.MQTT_5,
                agent,
                agent,
                password,
                keepAlive,
                TestPrincipals.wire(agent, io.headroom.protocol.TopicKind.DEATH),
                properties);
    }

    static MqttConnectMessage agentV3(String agent, String password, int keepAlive) {
        return connect(
                MqttVersion.MQTT_3_1_1,
                agent,
                agent,
                password,
                keepAlive,
                TestPrincipals.wire(agent, io.headroom.protocol.TopicKind.DEATH),
                MqttProperties.NO_PROPERTIES);
    }

    static MqttPublishMessage publish(String topic, int qos, int packetId, String payload) {
        return publish(topic, qos, packetId, payload, MqttProperties.NO_PROPERTIES);
    }

    static MqttPublishMessage publish(String topic, int qos, int packetId, String payload, MqttProperties properties) {
        MqttMessageBuilders.PublishBuilder builder = MqttMessageBuilders.publish()
                .topicName(topic)
                .qos(MqttQoS.valueOf(qos))
                .retained(false)
                .payload(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8))
                .properties(properties);
        if (qos > 0) {
            builder.messageId(packetId);
        }
        return builder.build();
    }

    static MqttMessage subscribe(int packetId, String... filters) {
        MqttMessageBuilders.SubscribeBuilder builder =
                MqttMessageBuilders.subscribe().messageId(packetId);
        for (String filter : filters) {
            builder.addSubscription(MqttQoS.AT_LEAST_ONCE, filter);
        }
        return builder.build();
    }

    static MqttMessage pubAck(int packetId) {
        return MqttMessageBuilders.pubAck()
                .packetId(packetId)
                .reasonCode((byte) 0)
                .build();
    }

    static MqttMessage disconnect(MqttVersion version, int reason) {
        return version == MqttVersion.MQTT_5
                ? MqttMessageBuilders.disconnect().reasonCode((byte) reason).build()
                : MqttMessage.DISCONNECT;
    }
}
