package io.headroom.controller.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;

/**
 * Builds the pipeline of one connection:
 * connection limit → {@link MqttDecoder} → {@link MqttEncoder} → {@link MqttConnectHandler}, which
 * after CONNACK becomes keep-alive ({@code IdleStateHandler}) → {@link MqttSessionHandler}.
 */
final class MqttChannelInitializer extends ChannelInitializer<Channel> {
    /** Longest client id accepted; agents' ids are at most 64 characters, observers' are free-form. */
    static final int MAX_CLIENT_ID_LENGTH = 256;

    private final EndpointContext context;
    private final ChannelGroup channels;
    private final ConnectionLimitHandler connectionLimit;

    /** @param channels every accepted channel is added here, so that shutdown can reach it */
    MqttChannelInitializer(EndpointContext context, ChannelGroup channels) {
        this.context = context;
        this.channels = channels;
        this.connectionLimit = new ConnectionLimitHandler(
                context.metrics().connections(), context.config().maxConnections(), context.metrics());
    }

    @Override
    protected void initChannel(Channel channel) {
        channels.add(channel);
        configure(channel.pipeline(), context, connectionLimit);
    }

    static void configure(ChannelPipeline pipeline, EndpointContext context, ConnectionLimitHandler connectionLimit) {
        // Netty 4.2.20 counts maxBytesInMessage over the whole packet, fixed header included, which
        // is what MQTT 5 Maximum Packet Size means (§3.1.2.11.4); strict UTF-8 as §1.5.4 requires.
        pipeline.addLast("connectionLimit", connectionLimit);
        pipeline.addLast("decoder", new MqttDecoder(context.config().maxPacketSize(), MAX_CLIENT_ID_LENGTH, true));
        pipeline.addLast("encoder", MqttEncoder.INSTANCE);
        pipeline.addLast(MqttConnectHandler.NAME, new MqttConnectHandler(context));
    }
}
