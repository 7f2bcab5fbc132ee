package io.headroom.controller.mqtt;

import io.headroom.controller.mqtt.ConnAcks.Refusal;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage of every connection: waits for CONNECT, authenticates it off the event loop,
 * checks client id and Will, answers CONNACK, then hands the channel to {@link MqttSessionHandler}.
 *
 * <p>The channel stops reading while the password is checked. Packets that arrived in the same
 * read as CONNECT (clients may send before CONNACK) are held and passed on after CONNACK.
 */
final class MqttConnectHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "connect";
    static final String KEEP_ALIVE_NAME = "keepAlive";
    static final String SESSION_NAME = "session";

    private static final Logger logger = LoggerFactory.getLogger(MqttConnectHandler.class);
    private static final int MAX_HELD_PACKETS = 1000;

    private enum State {
        AWAITING_CONNECT,
        AUTHENTICATING,
        DONE
    }

    private final EndpointContext context;
    private final List<Object> held = new ArrayList<>();
    private State state = State.AWAITING_CONNECT;
    private ScheduledFuture<?> connectTimeout;
    private MqttSession session;

    MqttConnectHandler(EndpointContext context) {
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            scheduleConnectTimeout(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        scheduleConnectTimeout(ctx);
        ctx.fireChannelActive();
    }

    private void scheduleConnectTimeout(ChannelHandlerContext ctx) {
        if (connectTimeout == null) {
            connectTimeout = ctx.executor()
                    .schedule(
                            () -> {
                                if (state != State.DONE) {
                                    context.metrics().violation("connect-timeout");
                                    context.log()
                                            .info(
                                                    "connect-timeout",
                                                    "MQTT: closing {}: no CONNECT within {} s",
                                                    ctx.channel().remoteAddress(),
                                                    context.config().connectTimeoutSeconds());
                                    state = State.DONE;
                                    ctx.close();
                                }
                            },
                            context.config().connectTimeoutSeconds(),
                            TimeUnit.SECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.AUTHENTICATING && held.size() < MAX_HELD_PACKETS) {
            held.add(msg);
            return;
        }
        try {
            if (state == State.AWAITING_CONNECT && msg instanceof MqttMessage message) {
                onFirstPacket(ctx, message);
            } else if (state == State.AUTHENTICATING) {
                context.metrics().violation(ProtocolViolation.PROTOCOL_ERROR.tag());
                state = State.DONE;
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onFirstPacket(ChannelHandlerContext ctx, MqttMessage message) {
        if (message.decoderResult().isFailure()) {
            Throwable cause = message.decoderResult().cause();
            if (cause instanceof MqttUnacceptableProtocolVersionException) {
                // MQTT 3.1.1 §3.1.2.2: answer an unsupported level with return code 1, then close.
                refuse(ctx, MqttVersion.MQTT_3_1_1, Refusal.UNSUPPORTED_PROTOCOL_VERSION);
                return;
            }
            ProtocolViolation violation = Disconnects.decoderFailure(cause);
            context.metrics().violation(violation.tag());
            context.log()
                    .info(
                            "bad-connect",
                            "MQTT: closing {}: first packet is not a valid CONNECT: {}",
                            ctx.channel().remoteAddress(),
                            cause.getMessage());
            state = State.DONE;
            ctx.close();
            return;
        }
        if (!(message instanceof MqttConnectMessage connect)) {
            // MQTT 5 §3.1: the first packet from the client MUST be CONNECT.
            context.metrics().violation(ProtocolViolation.PROTOCOL_ERROR.tag());
            context.log()
                    .info(
                            "not-connect",
                            "MQTT: closing {}: first packet is {}, not CONNECT",
                            ctx.channel().remoteAddress(),
                            message.fixedHeader().messageType());
            state = State.DONE;
            ctx.close();
            return;
        }
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttVersion version = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
        if (version == MqttVersion.MQTT_3_1) {
            refuse(ctx, version, Refusal.UNSUPPORTED_PROTOCOL_VERSION);
            return;
        }
        if (version == MqttVersion.MQTT_5
                && header.properties().getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
            refuse(ctx, version, Refusal.BAD_AUTHENTICATION_METHOD);
            return;
        }
        MqttConnectPayload payload = connect.payload();
        String username = header.hasUserName() ? payload.userName() : null;
        byte[] password = header.hasPassword() ? payload.passwordInBytes() : null;
        if (context.requireClientCertificate()
                && !ClientCertificates.names(ctx.channel()).contains(username)) {
            // mTLS: the certificate names the principal; no hashing for a connection that cannot pass.
            failedLogin(ctx);
            context.log()
                    .warn(
                            "certificate-mismatch",
                            "MQTT: refused '{}' from {}: its client certificate names {}, not this username",
                            username,
                            ctx.channel().remoteAddress(),
                            ClientCertificates.names(ctx.channel()));
            refuse(ctx, version, Refusal.CERTIFICATE_MISMATCH);
            return;
        }
        state = State.AUTHENTICATING;
        ctx.channel().config().setAutoRead(false);
        context.verifier().verify(username, password, ctx.channel()::isActive).whenComplete((credential, error) -> {
            try {
                ctx.executor().execute(() -> authenticated(ctx, connect, version, username, credential, error));
            } catch (RuntimeException e) {
                // The event loop is shutting down; the channel goes with it.
                logger.debug("MQTT: dropping authentication result for {}", username, e);
            }
        });
    }

    private void authenticated(
            ChannelHandlerContext ctx,
            MqttConnectMessage connect,
            MqttVersion version,
            String username,
            Optional<Credential> credential,
            Throwable error) {
        if (!ctx.channel().isActive() || state != State.AUTHENTICATING) {
            return;
        }
        if (error != null || context.shuttingDown()) {
            context.log()
                    .warn(
                            "server-busy",
                            "MQTT: refusing '{}' from {}: server busy (password checks queued)",
                            username,
                            ctx.channel().remoteAddress());
            refuse(ctx, version, Refusal.SERVER_BUSY);
            return;
        }
        if (credential.isEmpty()) {
            if (failedLogin(ctx)) {
                context.log()
                        .warn(
                                "address-penalised",
                                "MQTT: {} failed logins from {} within {} s; refusing its connections for {} s",
                                context.limits().maxFailedLogins(),
                                SourceLimitHandler.address(ctx.channel()),
                                context.limits().failureWindowSeconds(),
                                context.limits().penaltySeconds());
            }
            context.log()
                    .warn(
                            "bad-credentials",
                            "MQTT: refused '{}' from {}: bad username or password",
                            username,
                            ctx.channel().remoteAddress());
            refuse(ctx, version, Refusal.BAD_CREDENTIALS);
            return;
        }
        Credential principal = credential.get();
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        String clientId = payload.clientIdentifier();
        if (principal.role() == Role.AGENT && !principal.username().equals(clientId)) {
            context.log()
                    .info(
                            "invalid-client-id",
                            "MQTT: refused agent '{}' from {}: client id '{}' is not its username",
                            username,
                            ctx.channel().remoteAddress(),
                            clientId);
            refuse(ctx, version, Refusal.INVALID_CLIENT_ID);
            return;
        }
        if (principal.role() != Role.AGENT && clientId != null && context.isAgentId(clientId)) {
            // A client id is bound to its principal: an agent's id is only ever its own (issue 8, problem 1).
            refuseClientId(ctx, version, principal, clientId, "it is the client id of agent '" + clientId + "'");
            return;
        }
        MqttSession.Will will = null;
        if (header.isWillFlag()) {
            if (!context.acl()
                    .willAllowed(
                            principal.role(),
                            principal.username(),
                            payload.willTopic(),
                            header.willQos(),
                            header.isWillRetain())) {
                context.log()
                        .info(
                                "will-refused",
                                "MQTT: refused {} '{}' from {}: Will on '{}' (QoS {}, retain {}) is not allowed",
                                principal.role().fileName(),
                                username,
                                ctx.channel().remoteAddress(),
                                payload.willTopic(),
                                header.willQos(),
                                header.isWillRetain());
                refuse(ctx, version, Refusal.WILL_NOT_AUTHORIZED);
                return;
            }
            will = new MqttSession.Will(
                    context.acl().deathTopic(principal.username()),
                    payload.willMessageInBytes(),
                    header.willQos(),
                    intProperty(payload.willProperties(), MqttProperties.PUBLICATION_EXPIRY_INTERVAL, 0));
        }
        boolean assigned = clientId == null || clientId.isEmpty();
        if (assigned) {
            // MQTT 5 §3.1.3.1 / 3.1.1 §3.1.3.1: the server may assign a client id (never to an agent).
            clientId = principal.role().fileName() + "-" + UUID.randomUUID();
        }
        MqttSession incumbent = context.sessions().get(clientId);
        if (incumbent != null && !incumbent.username().equals(principal.username())) {
            refuseClientId(ctx, version, principal, clientId, "it is in use by " + incumbent);
            return;
        }
        if (incumbent != null) {
            TakeoverLimiter.Decision decision = context.takeovers().attempt(clientId);
            if (!decision.allowed()) {
                context.metrics().takeover("refused");
                context.log()
                        .warn(
                                "takeover-refused",
                                "MQTT: refused a takeover of client id '{}' from {}: {} takeovers in the last minute;"
                                        + " the connected session stays (two processes with one agent's credentials?)",
                                clientId,
                                ctx.channel().remoteAddress(),
                                decision.recent());
                refuse(ctx, version, Refusal.TAKEOVER_RATE_EXCEEDED);
                return;
            }
        }
        session = new MqttSession(ctx.channel(), clientId, principal.username(), principal.role(), version, will);
        SessionRegistry.Claim claim = context.sessions().claim(session);
        if (claim.refused()) {
            MqttSession owner = session;
            session = null;
            refuseClientId(ctx, version, principal, owner.clientId(), "it is in use by " + claim.previous());
            return;
        }
        MqttSession previous = claim.previous();
        MqttSession accepting = session;
        String assignedId = assigned ? clientId : null;
        if (previous == null) {
            accept(ctx, accepting, connect, assignedId);
            return;
        }
        // MQTT 5 §3.1.4: a second connection with the same client id takes over. The old one's
        // Will and disconnect reach the listener before this one's connect does.
        context.metrics().takeover("accepted");
        context.log().warn("takeover", "MQTT: {} takes over from {}", accepting, previous);
        previous.channel().eventLoop().execute(() -> Disconnects.close(previous, (byte) 0x8E));
        previous.ended()
                .whenComplete(
                        (ignored, e) -> ctx.executor().execute(() -> accept(ctx, accepting, connect, assignedId)));
    }

    private void accept(
            ChannelHandlerContext ctx, MqttSession accepted, MqttConnectMessage connect, String assignedId) {
        if (!ctx.channel().isActive() || state != State.AUTHENTICATING) {
            return;
        }
        if (context.shuttingDown()) {
            refuse(ctx, accepted.version(), Refusal.SHUTTING_DOWN);
            return;
        }
        MqttEndpointConfig config = context.config();
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttProperties clientProperties = header.properties();
        int keepAlive = ConnAcks.effectiveKeepAlive(header.keepAliveTimeSeconds(), config.maxKeepAliveSeconds());
        int receiveMaximum = intProperty(clientProperties, MqttProperties.RECEIVE_MAXIMUM, 65_535);
        long maximumPacketSize = intProperty(clientProperties, MqttProperties.MAXIMUM_PACKET_SIZE, 0);
        accepted.outbound(new OutboundDelivery(
                ctx.channel(),
                accepted.version(),
                Math.max(1, receiveMaximum),
                maximumPacketSize > 0 ? maximumPacketSize : Long.MAX_VALUE,
                context.metrics(),
                context.nanoClock()));
        if (accepted.role() == Role.OBSERVER) {
            accepted.lane(new ObserverLane(accepted, context.limits().observerLaneCapacity(), context.metrics()));
        }
        ctx.channel().attr(MqttSession.KEY).set(accepted);

        ctx.writeAndFlush(ConnAcks.accepted(
                config,
                accepted.isV5(),
                keepAlive,
                intProperty(clientProperties, MqttProperties.SESSION_EXPIRY_INTERVAL, 0) != 0,
                assignedId));
        SourceLimitHandler.release(ctx.channel(), context);
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        state = State.DONE;
        ChannelPipeline pipeline = ctx.pipeline();
        // MQTT 5 §3.1.2.10: no packet within 1.5 times the Keep Alive means the client is gone.
        pipeline.addBefore(NAME, KEEP_ALIVE_NAME, new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        pipeline.replace(this, SESSION_NAME, new MqttSessionHandler(context, accepted));
        context.metrics().connectAttempt("accepted");
        context.metrics().sessionStarted(accepted.role());
        accepted.announce();
        logger.info(
                "MQTT: accepted {} (MQTT {}, keep-alive {} s)", accepted, accepted.isV5() ? "5" : "3.1.1", keepAlive);
        if (accepted.role() == Role.AGENT) {
            context.agentConnected(accepted.username());
        }
        ChannelHandlerContext keepAliveContext = pipeline.context(KEEP_ALIVE_NAME);
        for (Object message : held) {
            keepAliveContext.fireChannelRead(message);
        }
        if (!held.isEmpty()) {
            // The session handler flushes its replies at the end of a read batch: this was one.
            keepAliveContext.fireChannelReadComplete();
        }
        held.clear();
        if (accepted.channel().isActive() && !accepted.closing()) {
            accepted.channel().config().setAutoRead(true);
        }
    }

    /** Counts a failed login of the peer's address; true if that started its penalty. */
    private boolean failedLogin(ChannelHandlerContext ctx) {
        java.net.InetAddress address = SourceLimitHandler.address(ctx.channel());
        return address != null && context.sourceLimits().failedLogin(address);
    }

    /** MQTT 5 §3.2.2.2: 0x85 "Client Identifier not valid": valid, but not allowed for this principal. */
    private void refuseClientId(
            ChannelHandlerContext ctx, MqttVersion version, Credential principal, String clientId, String why) {
        context.log()
                .warn(
                        "client-id-taken",
                        "MQTT: refused {} '{}' from {}: client id '{}' is not its own: {}",
                        principal.role().fileName(),
                        principal.username(),
                        ctx.channel().remoteAddress(),
                        clientId,
                        why);
        refuse(ctx, version, Refusal.CLIENT_ID_OF_OTHER_PRINCIPAL);
    }

    private void refuse(ChannelHandlerContext ctx, MqttVersion version, Refusal refusal) {
        state = State.DONE;
        context.metrics().connectAttempt(refusal.result);
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(ConnAcks.refused(refusal, version)).addListener(ChannelFutureListener.CLOSE);
    }

    static int intProperty(MqttProperties properties, int id, int absent) {
        if (properties == null) {
            return absent;
        }
        MqttProperties.MqttProperty<?> property = properties.getProperty(id);
        return property != null && property.value() instanceof Integer value ? value : absent;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        if (session != null && !session.announced()) {
            context.sessions().remove(session);
            session.ended().complete(null);
        }
        state = State.DONE;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof java.io.IOException)) {
            // TLS handshake failures arrive as DecoderException wrapping an SSLException: a client's doing.
            if (!(cause instanceof io.netty.handler.codec.DecoderException
                    && cause.getCause() instanceof javax.net.ssl.SSLException)) {
                context.metrics().unexpectedError();
            }
        }
        logger.debug("MQTT: closing {} before CONNACK: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
