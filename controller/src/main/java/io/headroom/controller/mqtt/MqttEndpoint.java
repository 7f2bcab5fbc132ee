package io.headroom.controller.mqtt;

import io.headroom.controller.grid.signal.GridSignalReceiver;
import io.headroom.controller.tls.PemServerTls;
import io.headroom.controller.transport.AgentMessageListener;
import io.headroom.controller.transport.ControllerPublisher;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's own narrow MQTT 5 / 3.1.1 endpoint, on Netty's {@code netty-codec-mqtt}.
 *
 * <p>Guarantees: every client authenticates with a username and password from the
 * {@link CredentialStore}; an agent publishes only on its own {@code birth/data/result/death} and
 * subscribes only to its own {@code cmd/ack} and the site's controller state; observers only read;
 * a {@code grid} principal only publishes the site's grid signal.
 * QoS 0 and 1, clean sessions only, bounded packets, keep-alive enforced at 1.5 times the value in
 * effect. When an agent's connection ends without a clean DISCONNECT its Will (its death) goes to
 * the listener and to subscribers, followed by {@link AgentMessageListener#agentDisconnected}.
 * Listener calls for one agent happen on one thread, in order. See {@code docs/mqtt-endpoint.md}.
 */
public final class MqttEndpoint implements ControllerPublisher, AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(MqttEndpoint.class);
    /** Per lane (agents, everyone else): one thread and a bounded queue each; see CredentialVerifier. */
    private static final int AUTH_QUEUE = 256;

    private static final long SHUTDOWN_WAIT_MILLIS = 3_000;

    private final MqttEndpointConfig config;
    private final EndpointContext context;
    private final MqttMetrics metrics;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ThreadPoolExecutor agentAuth;
    private final ThreadPoolExecutor otherAuth;
    private final ChannelGroup channels;
    private final Channel serverChannel;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MqttEndpoint(
            MqttEndpointConfig config,
            EndpointContext context,
            MqttMetrics metrics,
            EventLoopGroup bossGroup,
            EventLoopGroup workerGroup,
            ThreadPoolExecutor agentAuth,
            ThreadPoolExecutor otherAuth,
            ChannelGroup channels,
            Channel serverChannel) {
        this.config = config;
        this.context = context;
        this.metrics = metrics;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.agentAuth = agentAuth;
        this.otherAuth = otherAuth;
        this.channels = channels;
        this.serverChannel = serverChannel;
    }

    /**
     * Binds and starts in plaintext with default limits; returns once listening.
     *
     * @throws IOException if the address cannot be bound (in use, not local, ...), naming it
     */
    public static MqttEndpoint start(
            MqttEndpointConfig config,
            CredentialStore credentials,
            AgentMessageListener listener,
            MeterRegistry registry)
            throws IOException, InterruptedException {
        return start(config, MqttLimits.defaults(), null, credentials, listener, registry);
    }

    /**
     * Binds and starts; returns once listening.
     *
     * @param tls TLS settings, or {@code null} for plaintext
     * @throws IOException if the address cannot be bound (in use, not local, ...), or a TLS file
     *     cannot be read or used, naming it
     */
    public static MqttEndpoint start(
            MqttEndpointConfig config,
            MqttLimits limits,
            MqttTls tls,
            CredentialStore credentials,
            AgentMessageListener listener,
            MeterRegistry registry)
            throws IOException, InterruptedException {
        return start(config, limits, tls, credentials, listener, null, registry);
    }

    /**
     * Binds and starts; returns once listening.
     *
     * @param tls TLS settings, or {@code null} for plaintext
     * @param gridSignals where signals a {@code grid} principal publishes on
     *     {@code headroom/v1/<site>/grid/signal} go (see {@code docs/grid-signal.md}); {@code null}
     *     when the grid signal is not enabled, and then such a publish closes the connection as not
     *     authorised
     * @throws IOException if the address cannot be bound (in use, not local, ...), or a TLS file
     *     cannot be read or used, naming it
     */
    public static MqttEndpoint start(
            MqttEndpointConfig config,
            MqttLimits limits,
            MqttTls tls,
            CredentialStore credentials,
            AgentMessageListener listener,
            GridSignalReceiver gridSignals,
            MeterRegistry registry)
            throws IOException, InterruptedException {
        return start(config, limits, tls, credentials, listener, gridSignals, registry, System::nanoTime, 0);
    }

    /**
     * As above, on the clock {@code nanoTime} (expiry, limits, slow consumers), and with
     * {@code sendBufferBytes} as each connection's kernel send buffer ({@code SO_SNDBUF}; 0 leaves
     * the OS default): tests shrink it so that a client that does not read fills it quickly.
     */
    static MqttEndpoint start(
            MqttEndpointConfig config,
            MqttLimits limits,
            MqttTls tls,
            CredentialStore credentials,
            AgentMessageListener listener,
            GridSignalReceiver gridSignals,
            MeterRegistry registry,
            LongSupplier nanoTime,
            int sendBufferBytes)
            throws IOException, InterruptedException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(registry, "registry");
        SslContext ssl = tls == null
                ? null
                : PemServerTls.context(
                        "mqtt.tls",
                        tls.certificateChain(),
                        tls.privateKey(),
                        tls.clientCa(),
                        tls.requireClientCertificate());
        ThreadPoolExecutor agentAuth = authLane("headroom-mqtt-auth-agents");
        ThreadPoolExecutor otherAuth = authLane("headroom-mqtt-auth-others");
        MqttMetrics metrics = new MqttMetrics(registry);
        EndpointContext context = new EndpointContext(
                config,
                limits,
                tls != null && tls.requireClientCertificate(),
                new CredentialVerifier(credentials, agentAuth, otherAuth, limits.maxAuthInFlightPerUser()),
                listener,
                gridSignals,
                metrics,
                nanoTime);
        EventLoopGroup bossGroup = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("headroom-mqtt-accept"), NioIoHandler.newFactory());
        EventLoopGroup workerGroup = new MultiThreadIoEventLoopGroup(
                0, new DefaultThreadFactory("headroom-mqtt-io"), NioIoHandler.newFactory());
        ChannelGroup channels = new DefaultChannelGroup("headroom-mqtt", GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Back-pressure (issue 9): past the high mark a connection is not read until it drains.
                .childOption(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(limits.writeBufferLowBytes(), limits.writeBufferHighBytes()))
                .childHandler(new MqttChannelInitializer(context, channels, ssl));
        if (sendBufferBytes > 0) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, sendBufferBytes);
        }
        Channel serverChannel;
        try {
            serverChannel =
                    bootstrap.bind(config.bindHost(), config.port()).sync().channel();
        } catch (Exception e) {
            shutdownQuietly(bossGroup, workerGroup, agentAuth, otherAuth);
            metrics.close();
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IOException(
                    "MQTT endpoint cannot listen on " + config.bindHost() + ":" + config.port() + ": " + e.getMessage(),
                    e);
        }
        if (tls == null) {
            logger.warn(
                    "MQTT endpoint for site '{}' listening on {} WITHOUT TLS (mqtt.tls.mode: off), {} principals",
                    config.site(),
                    serverChannel.localAddress(),
                    credentials.size());
        } else {
            logger.info(
                    "MQTT endpoint for site '{}' listening on {} ({}, {} principals)",
                    config.site(),
                    serverChannel.localAddress(),
                    tls.requireClientCertificate() ? "TLS, client certificates required" : "TLS",
                    credentials.size());
        }
        return new MqttEndpoint(
                config, context, metrics, bossGroup, workerGroup, agentAuth, otherAuth, channels, serverChannel);
    }

    private static ThreadPoolExecutor authLane(String name) {
        return new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(AUTH_QUEUE),
                new DefaultThreadFactory(name, true));
    }

    /**
     * From now on a {@code price} principal's publishes on {@code headroom/v1/<site>/market/<input>}
     * go to {@code feed} (the market opens after the endpoint); until then, or for an input the feed
     * does not take, such a publish closes the connection as not authorised.
     */
    public void usePrices(io.headroom.controller.market.@org.jspecify.annotations.Nullable MarketPriceFeed feed) {
        context.prices(feed);
    }

    /** The address actually bound (the port is the real one when the config asked for 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Publishes a controller message at QoS 1 to every matching subscriber. Thread-safe and
     * non-blocking: delivery runs on each subscriber's event loop.
     *
     * @throws IllegalArgumentException for a topic of another site, an agent-to-controller topic,
     *     retain on anything but the controller state topic, or a negative expiry
     */
    @Override
    public int publish(Topic topic, byte[] payload, boolean retain, int messageExpirySeconds) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (!topic.site().equals(config.site())) {
            throw new IllegalArgumentException("topic: " + topic.toWire() + " is not of site '" + config.site() + "'");
        }
        if (topic instanceof Topic.AgentTopic agentTopic
                && agentTopic.kind().direction() != TopicKind.Direction.TO_AGENT) {
            throw new IllegalArgumentException(
                    "topic: " + topic.toWire() + " is published by agents, not the controller");
        }
        if (topic instanceof Topic.GridSignalTopic) {
            throw new IllegalArgumentException(
                    "topic: " + topic.toWire() + " is published by a grid principal, not the controller");
        }
        if (topic instanceof Topic.MarketPriceTopic) {
            throw new IllegalArgumentException(
                    "topic: " + topic.toWire() + " is published by a price principal, not the controller");
        }
        if (retain && !(topic instanceof Topic.ControllerStateTopic)) {
            throw new IllegalArgumentException(
                    "retain: only the controller state topic is retained, not " + topic.toWire());
        }
        if (messageExpirySeconds < 0) {
            throw new IllegalArgumentException("messageExpirySeconds: " + messageExpirySeconds + " is negative");
        }
        if (closed.get()) {
            return 0;
        }
        OutboundMessage message =
                new OutboundMessage(topic.toWire(), payload.clone(), 1, messageExpirySeconds, context.nanoTime());
        if (retain) {
            context.retained().retain(message);
        }
        return context.sessions().route(topic, message);
    }

    /** The session holding {@code clientId}, or {@code null}; for tests and benchmarks in this package. */
    MqttSession session(String clientId) {
        return context.sessions().get(clientId);
    }

    /** Agents whose connection is accepted and open now. */
    public int connectedAgents() {
        return context.sessions().connectedAgents();
    }

    /**
     * Sends MQTT 5 clients DISCONNECT 0x8B (Server shutting down), closes every connection, and
     * releases the event loops and threads, waiting a bounded time. Agents are reported
     * disconnected gracefully and no Will is published: nobody is left to consume it. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        context.startShutdown();
        serverChannel.close().awaitUninterruptibly(SHUTDOWN_WAIT_MILLIS);
        for (Channel channel : channels) {
            channel.eventLoop().execute(() -> {
                MqttSession session = channel.attr(MqttSession.KEY).get();
                if (session != null) {
                    Disconnects.close(session, (byte) 0x8B);
                } else {
                    channel.close();
                }
            });
        }
        if (!channels.newCloseFuture().awaitUninterruptibly(SHUTDOWN_WAIT_MILLIS)) {
            logger.warn("MQTT: connections still open after {} ms; closing them forcibly", SHUTDOWN_WAIT_MILLIS);
            channels.close().awaitUninterruptibly(SHUTDOWN_WAIT_MILLIS);
        }
        shutdownQuietly(bossGroup, workerGroup, agentAuth, otherAuth);
        metrics.close();
        logger.info("MQTT endpoint for site '{}' closed", config.site());
    }

    private static void shutdownQuietly(
            EventLoopGroup bossGroup,
            EventLoopGroup workerGroup,
            ThreadPoolExecutor agentAuth,
            ThreadPoolExecutor otherAuth) {
        agentAuth.shutdownNow();
        otherAuth.shutdownNow();
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        boolean interrupted = false;
        try {
            bossGroup.terminationFuture().await(SHUTDOWN_WAIT_MILLIS);
            workerGroup.terminationFuture().await(SHUTDOWN_WAIT_MILLIS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
