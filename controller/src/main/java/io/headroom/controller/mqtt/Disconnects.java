package io.headroom.controller.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closing a connection from the endpoint's side, with the right DISCONNECT and count. */
final class Disconnects {
    private static final Logger logger = LoggerFactory.getLogger(Disconnects.class);

    private Disconnects() {}

    /**
     * Counts {@code violation}, sends a v5 client DISCONNECT with its reason code, and closes. The
     * session ends without a clean DISCONNECT, so an agent's Will is published.
     */
    static void violation(EndpointContext context, MqttSession session, ProtocolViolation violation, String detail) {
        if (session.closing()) {
            return; // already on its way out: counted and logged once
        }
        context.metrics().violation(violation.tag());
        if (violation == ProtocolViolation.KEEP_ALIVE_TIMEOUT) {
            logger.info("MQTT: closing {}: {}", session, detail);
        } else {
            logger.warn("MQTT: closing {}: {} ({})", session, detail, violation.tag());
        }
        close(session, violation.reasonCode());
    }

    /** Sends a v5 DISCONNECT with {@code reasonCode} (nothing to a 3.1.1 client) and closes. */
    static void close(MqttSession session, byte reasonCode) {
        if (session.closing()) {
            return;
        }
        session.markClosing();
        Channel channel = session.channel();
        channel.config().setAutoRead(false);
        if (session.isV5() && channel.isActive()) {
            channel.writeAndFlush(disconnect(reasonCode)).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    static MqttMessage disconnect(byte reasonCode) {
        return MqttMessageBuilders.disconnect().reasonCode(reasonCode).build();
    }

    /** Which violation a failed decode is. */
    static ProtocolViolation decoderFailure(Throwable cause) {
        return cause instanceof TooLongFrameException
                ? ProtocolViolation.PACKET_TOO_LARGE
                : ProtocolViolation.MALFORMED_PACKET;
    }
}
