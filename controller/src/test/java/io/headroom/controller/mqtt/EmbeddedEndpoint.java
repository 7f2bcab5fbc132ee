package io.headroom.controller.mqtt;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The endpoint's real pipeline on an {@link EmbeddedChannel}, with a client-side Netty encoder to
 * produce the bytes a client would send and a client-side decoder to read the replies.
 * Passwords are checked on the calling thread, so everything is deterministic.
 */
final class EmbeddedEndpoint {
    private static final CredentialVerifier VERIFIER = new CredentialVerifier(TestPrincipals.store(), Runnable::run);

    /** The endpoint's clock for message expiry; tests move it by hand. */
    final AtomicLong nanos;

    final RecordingListener listener;
    final SimpleMeterRegistry registry;
    final EndpointContext context;
    final EmbeddedChannel server;
    private final EmbeddedChannel clientEncoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    private final EmbeddedChannel clientDecoder = new EmbeddedChannel(new MqttDecoder(1 << 20));

    EmbeddedEndpoint(MqttEndpointConfig config) {
        this(config, null);
    }

    /** A second connection to the same endpoint (same sessions, listener and meters). */
    EmbeddedEndpoint(EmbeddedEndpoint sameEndpoint) {
        this(sameEndpoint.context.config(), sameEndpoint);
    }

    private EmbeddedEndpoint(MqttEndpointConfig config, EmbeddedEndpoint same) {
        this.nanos = same != null ? same.nanos : new AtomicLong(System.nanoTime());
        this.listener = same != null ? same.listener : new RecordingListener();
        this.registry = same != null ? same.registry : new SimpleMeterRegistry();
        MqttMetrics metrics = same != null ? same.context.metrics() : new MqttMetrics(registry);
        this.context =
                same != null ? same.context : new EndpointContext(config, VERIFIER, listener, metrics, nanos::get);
        ConnectionLimitHandler limit =
                new ConnectionLimitHandler(metrics.connections(), config.maxConnections(), metrics);
        this.server = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                MqttChannelInitializer.configure(channel.pipeline(), context, limit);
            }
        });
    }

    /** The bytes Netty's encoder produces for {@code messages}, as one client would send them. */
    byte[] encode(MqttMessage... messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (MqttMessage message : messages) {
            clientEncoder.writeOutbound(message);
            ByteBuf buf;
            while ((buf = clientEncoder.readOutbound()) != null) {
                byte[] bytes = ByteBufUtil.getBytes(buf);
                buf.release();
                out.writeBytes(bytes);
                if (message instanceof MqttConnectMessage) {
                    // Teaches the reply decoder the protocol version, as a real client knows it.
                    clientDecoder.writeInbound(Unpooled.wrappedBuffer(bytes));
                    clientDecoder.readInbound();
                }
            }
        }
        return out.toByteArray();
    }

    void feed(byte[] bytes) {
        server.writeInbound(Unpooled.wrappedBuffer(bytes));
        server.runPendingTasks();
    }

    /** Feeds {@code bytes} in two pieces split at {@code at}. */
    void feedSplit(byte[] bytes, int at) {
        if (at > 0) {
            feed(java.util.Arrays.copyOfRange(bytes, 0, at));
        }
        if (at < bytes.length) {
            feed(java.util.Arrays.copyOfRange(bytes, at, bytes.length));
        }
    }

    /** Everything the server wrote since the last call, decoded. */
    List<MqttMessage> replies() {
        server.runPendingTasks();
        List<MqttMessage> replies = new ArrayList<>();
        Object out;
        while ((out = server.readOutbound()) != null) {
            clientDecoder.writeInbound(out);
            MqttMessage message;
            while ((message = clientDecoder.readInbound()) != null) {
                replies.add(message);
            }
        }
        return replies;
    }

    double counter(String name, String tagKey, String tagValue) {
        var counter = registry.find(name).tag(tagKey, tagValue).counter();
        return counter == null ? 0 : counter.count();
    }
}
