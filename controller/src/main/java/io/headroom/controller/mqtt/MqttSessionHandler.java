package io.headroom.controller.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles an accepted session's packets: dispatches PUBLISH, SUBSCRIBE and UNSUBSCRIBE to their
 * own classes, answers PINGREQ, takes PUBACKs, enforces keep-alive, and when the connection ends,
 * publishes the Will if one is due and tells the listener.
 *
 * <p>Replies are written during a read batch and flushed once at its end (issue 9: a PUBACK and
 * an application ack flushed separately cost two write syscalls per Data message); a connection
 * that cannot be written to is not read ({@link WritePressure}).
 */
final class MqttSessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger logger = LoggerFactory.getLogger(MqttSessionHandler.class);

    private final EndpointContext context;
    private final MqttSession session;
    private final InboundPublishRouter publishes;
    private final SubscriptionRequests subscriptions;
    private final WritePressure pressure;
    private boolean ended;

    MqttSessionHandler(EndpointContext context, MqttSession session) {
        this.context = context;
        this.session = session;
        this.publishes = new InboundPublishRouter(context);
        this.subscriptions = new SubscriptionRequests(context);
        this.pressure = new WritePressure(context, session);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // It may have become unwritable before this handler was there to see it.
        pressure.update();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        session.outbound().holdFlush();
        try {
            if (!session.closing() && msg instanceof MqttMessage message) {
                dispatch(ctx, message);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, MqttMessage message) {
        if (message.decoderResult().isFailure()) {
            Throwable cause = message.decoderResult().cause();
            Disconnects.violation(
                    context, session, Disconnects.decoderFailure(cause), "undecodable packet: " + cause.getMessage());
            return;
        }
        MqttMessageType type = message.fixedHeader().messageType();
        switch (type) {
            case PUBLISH -> publishes.onPublish(session, (MqttPublishMessage) message);
            case PUBACK -> session.outbound().acknowledge(packetId(message));
            case SUBSCRIBE -> subscriptions.onSubscribe(session, (MqttSubscribeMessage) message);
            case UNSUBSCRIBE -> subscriptions.onUnsubscribe(session, (MqttUnsubscribeMessage) message);
            case PINGREQ -> ctx.write(MqttMessage.PINGRESP, ctx.voidPromise());
            case DISCONNECT -> onDisconnect(message);
            case CONNECT ->
                Disconnects.violation(
                        context, session, ProtocolViolation.PROTOCOL_ERROR, "second CONNECT (MQTT 5 §3.1)");
            default ->
                Disconnects.violation(
                        context,
                        session,
                        ProtocolViolation.PROTOCOL_ERROR,
                        "unexpected " + type + " (QoS 2 flows and AUTH are not supported)");
        }
    }

    private static int packetId(MqttMessage message) {
        Object header = message.variableHeader();
        if (header instanceof MqttPubReplyMessageVariableHeader reply) {
            return reply.messageId();
        }
        return header instanceof MqttMessageIdVariableHeader id ? id.messageId() : -1;
    }

    private void onDisconnect(MqttMessage message) {
        int reason = 0;
        if (message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
            reason = header.reasonCode() & 0xFF;
        }
        // MQTT 5 §3.14.4: only a DISCONNECT with reason 0x00 discards the Will; 0x04 and errors keep it.
        if (reason == 0) {
            session.disconnectedGracefully();
        }
        session.markClosing();
        session.channel().close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            Disconnects.violation(
                    context,
                    session,
                    ProtocolViolation.KEEP_ALIVE_TIMEOUT,
                    "nothing received within 1.5 times the keep-alive");
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /** The end of a read batch: everything its packets caused (PUBACKs, acks) goes out in one flush. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.outbound().releaseFlush();
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        pressure.update();
        if (ctx.channel().isWritable()) {
            session.outbound().drain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pressure.stop();
        end();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            logger.debug("MQTT: connection of {} failed: {}", session, cause.toString());
        } else {
            context.metrics().unexpectedError();
            logger.warn("MQTT: closing {} after an unexpected error", session, cause);
        }
        session.markClosing();
        ctx.close();
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        context.sessions().remove(session);
        session.outbound().discard();
        ObserverLane lane = session.lane();
        if (lane != null) {
            lane.discard();
        }
        context.metrics().sessionEnded(session.role());
        try {
            if (session.role() == Role.AGENT) {
                String agent = session.username();
                // Its Birth no longer describes a live agent; the Will (if due) follows.
                context.retained().clear(context.acl().birthTopic(agent));
                if (context.shuttingDown() || session.graceful()) {
                    // On shutdown no one is left to consume a death; the agent will reconnect.
                    context.agentDisconnected(agent, true);
                } else {
                    publishWill();
                    context.agentDisconnected(agent, false);
                }
            }
            logger.info("MQTT: {} disconnected{}", session, session.graceful() ? "" : " without a clean DISCONNECT");
        } finally {
            session.ended().complete(null);
        }
    }

    private void publishWill() {
        MqttSession.Will will = session.will();
        if (will == null) {
            return;
        }
        context.metrics().received(will.topic().kind());
        context.agentMessage(will.topic(), ByteBuffer.wrap(will.payload()).asReadOnlyBuffer());
        context.sessions()
                .route(
                        will.topic(),
                        new OutboundMessage(
                                will.topic().toWire(),
                                will.payload(),
                                will.qos(),
                                will.messageExpirySeconds(),
                                context.nanoTime()));
    }
}
