package io.headroom.controller.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;

/**
 * Builds the pipeline of one connection:
 * connection limit → source-address limit → TLS (when configured) → {@link MqttDecoder} → {@link MqttEncoder} → {@link MqttConnectHandler}, which
 * after CONNACK becomes keep-alive ({@code IdleStateHandler}) → {@link MqttSessionHandler}.
 */
final class MqttChannelInitializer extends ChannelInitializer<Channel> {
    /** Longest client id accepted; agents' ids are at most 64 characters, observers' are free-form. */
    static final int MAX_CLIENT_ID_LENGTH = 256;

    private final EndpointContext context;
    private final ChannelGroup channels;
    private final ConnectionLimitHandler connectionLimit;
    private final SourceLimitHandler sourceLimit;
    private final SslContext ssl;

    /**
     * @param channels every accepted channel is added here, so that shutdown can reach it
     * @param ssl the server's TLS context, or {@code null} for plaintext
     */
    MqttChannelInitializer(EndpointContext context, ChannelGroup channels, SslContext ssl) {
        this.context = context;
        this.channels = channels;
        this.ssl = ssl;
        this.sourceLimit = new SourceLimitHandler(context);
        this.connectionLimit = new ConnectionLimitHandler(
                context.metrics().connections(), context.config().maxConnections(), context.metrics());
    }

    @Override
    protected void initChannel(Channel channel) {
        channels.add(channel);
        channel.pipeline().addLast("connectionLimit", connectionLimit);
        channel.pipeline().addLast(SourceLimitHandler.NAME, sourceLimit);
        if (ssl != null) {
            channel.pipeline().addLast("tls", ssl.newHandler(channel.alloc()));
        }
        configureMqtt(channel.pipeline(), context);
    }

    /** The plaintext pipeline, for tests on an in-memory channel. */
    static void configure(ChannelPipeline pipeline, EndpointContext context, ConnectionLimitHandler connectionLimit) {
        pipeline.addLast("connectionLimit", connectionLimit);
        pipeline.addLast(SourceLimitHandler.NAME, new SourceLimitHandler(context));
        configureMqtt(pipeline, context);
    }

    private static void configureMqtt(ChannelPipeline pipeline, EndpointContext context) {
        // Netty 4.2.20 counts maxBytesInMessage over the whole packet, fixed header included, which
        // is what MQTT 5 Maximum Packet Size means (§3.1.2.11.4); strict UTF-8 as §1.5.4 requires.
        pipeline.addLast("decoder", new MqttDecoder(context.config().maxPacketSize(), MAX_CLIENT_ID_LENGTH, true));
        pipeline.addLast("encoder", MqttEncoder.INSTANCE);
        pipeline.addLast(MqttConnectHandler.NAME, new MqttConnectHandler(context));
    }
}
