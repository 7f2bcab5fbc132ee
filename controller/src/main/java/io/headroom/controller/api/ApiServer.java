package io.headroom.controller.api;

import io.headroom.controller.api.auth.AuditLog;
import io.headroom.controller.api.auth.Authenticator;
import io.headroom.controller.api.auth.LoginThrottle;
import io.headroom.controller.api.auth.SessionStore;
import io.headroom.controller.api.auth.UserDirectory;
import io.headroom.controller.api.auth.WriteGuard;
import io.headroom.controller.tls.PemServerTls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's HTTP server on Netty: the JSON API, {@code /health}, {@code /metrics} and the
 * web page (routes in {@code docs/http-api.md}). Request bodies are capped (413 beyond), a
 * connection that does not complete a request in time is closed, connections beyond the cap are
 * closed at once, and request handling runs on a small worker pool so the I/O event loop never
 * waits on it. Every API route but {@code /health} and the page needs a signed-in user, every write
 * passes the CSRF checks and is audited, and with {@code http.tls} the server speaks HTTPS only
 * (docs/api-security.md). {@link #close()} is idempotent.
 */
public final class ApiServer implements AutoCloseable {

    private static final int WORKER_THREADS = 2;
    /** Requests waiting for a worker before new ones are answered 503. */
    private static final int WORKER_QUEUE = 256;
    /** How often the device stream sends what changed (GET /api/v1/stream). */
    /**
     * The body limit of a route that takes a selection of devices: 5,000 ids (the device table's page) of
     * up to 256 characters, JSON-quoted, with room for the rest of the request.
     */
    static final int SELECTION_BODY_BYTES = 2 * 1024 * 1024;

    static final Duration STREAM_INTERVAL = Duration.ofSeconds(1);
    /** Device streams open at once; a further one is answered 503. */
    static final int MAX_STREAMS = 32;
    /** How long a device stream's client may not read before its stream is closed. */
    static final Duration STREAM_UNWRITABLE_TIMEOUT = Duration.ofSeconds(30);

    private final Logger logger = LoggerFactory.getLogger(getClass());
    private final EventLoopGroup ioGroup;
    private final ThreadPoolExecutor workers;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final AuditLog audit;
    private final DeviceEvents streams;
    private volatile boolean closed;

    private ApiServer(
            EventLoopGroup ioGroup,
            ThreadPoolExecutor workers,
            Channel serverChannel,
            ChannelGroup connections,
            AuditLog audit,
            DeviceEvents streams) {
        this.audit = audit;
        this.streams = streams;
        this.ioGroup = ioGroup;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException if the address cannot be bound or the web page is missing
     * @throws InterruptedException if interrupted while binding
     */
    public static ApiServer start(ApiServerConfig config, ApiContext context) throws IOException, InterruptedException {
        return start(config, context, STREAM_INTERVAL, MAX_STREAMS, STREAM_UNWRITABLE_TIMEOUT);
    }

    /** {@link #start(ApiServerConfig, ApiContext)} with the device stream's pacing and limits given (tests). */
    static ApiServer start(
            ApiServerConfig config,
            ApiContext context,
            Duration streamInterval,
            int maxStreams,
            Duration streamUnwritableTimeout)
            throws IOException, InterruptedException {
        ApiSecurity security = config.security();
        SslContext tls = security.tls().isPresent()
                ? PemServerTls.context(
                        "http.tls",
                        security.tls().get().certFile(),
                        security.tls().get().keyFile(),
                        null,
                        false)
                : null;
        UserDirectory users = new UserDirectory(security.users());
        SessionStore sessions = new SessionStore(context.clock(), security.sessionTtl());
        LoginThrottle throttle =
                new LoginThrottle(context.clock(), security.maxFailedLogins(), security.failedLoginWindow());
        WriteGuard guard = new WriteGuard(config.bindHost(), security.allowedHosts(), security.allowedOrigins());
        AuditLog audit = AuditLog.open(security.auditFile());
        ApiGate gate = new ApiGate(
                guard, new Authenticator(users, sessions, throttle, context.clock()), users, audit, context.registry());
        DeviceEvents streams = new DeviceEvents(
                context.store(),
                context.clock(),
                streamInterval,
                maxStreams,
                streamUnwritableTimeout,
                context.triage(),
                ViewEvents.of(context),
                new DevicePageEvents(context),
                context.registry());
        ApiRouter router;
        try {
            router = new ApiRouter(context, context.registry(), gate, streams);
        } catch (IOException | RuntimeException e) {
            streams.close();
            audit.close();
            throw e;
        }
        Gauge.builder("headroom.http.sessions", sessions, SessionStore::size)
                .description("Signed-in HTTP API sessions")
                .register(context.registry());
        ConnectionCap cap = new ConnectionCap(
                config.maxConnections(),
                Counter.builder("headroom.http.connections.refused")
                        .description("HTTP connections closed at once because http.max-connections were open")
                        .register(context.registry()));
        Counter timeouts = Counter.builder("headroom.http.request.timeouts")
                .description("HTTP connections closed for not completing a request in time")
                .register(context.registry());
        long timeoutNanos = config.requestTimeout().toNanos();
        // A selection of devices is the one body past the default limit (docs/http-api.md, "Limits").
        Map<String, Integer> bodyLimits = Map.of(EngineRoutes.COMMAND_DRY_RUN, SELECTION_BODY_BYTES);
        int aggregated = BodyLimit.largest(config.maxRequestBytes(), bodyLimits);
        Counter tooLarge = Counter.builder("headroom.http.request.too.large")
                .description("HTTP requests answered 413: a body over its route's limit")
                .register(context.registry());
        EventLoopGroup ioGroup = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("headroom-http-io"), NioIoHandler.newFactory());
        ThreadPoolExecutor workers = new ThreadPoolExecutor(
                WORKER_THREADS,
                WORKER_THREADS,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(WORKER_QUEUE),
                new DefaultThreadFactory("headroom-http-worker", true));
        ChannelGroup connections = new DefaultChannelGroup("headroom-http", GlobalEventExecutor.INSTANCE);
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(ioGroup)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 128)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            connections.add(channel);
                            channel.pipeline().addLast("cap", cap);
                            if (tls != null) {
                                channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
                            }
                            channel.pipeline()
                                    .addLast("codec", new HttpServerCodec())
                                    .addLast(
                                            "body-limit", new BodyLimit(config.maxRequestBytes(), bodyLimits, tooLarge))
                                    .addLast("aggregator", new HttpObjectAggregator(aggregated))
                                    .addLast("deadline", new RequestDeadlineHandler(timeoutNanos, timeouts))
                                    .addLast("api", new RequestDispatcher(router, streams, workers, tls != null));
                        }
                    });
            Channel channel =
                    bootstrap.bind(config.bindHost(), config.port()).sync().channel();
            ApiServer server = new ApiServer(ioGroup, workers, channel, connections, audit, streams);
            if (tls == null) {
                server.logger.warn(
                        "HTTP API listening on {} WITHOUT TLS (http.tls.mode: off); {} users, write hosts {}",
                        channel.localAddress(),
                        security.users().size(),
                        guard.allowedHosts());
            } else {
                server.logger.info(
                        "HTTP API listening on {} with TLS; {} users, write hosts {}",
                        channel.localAddress(),
                        security.users().size(),
                        guard.allowedHosts());
            }
            if (users.isEmpty()) {
                server.logger.warn("HTTP API: no users configured (http.users): nobody can sign in");
            }
            return server;
        } catch (Exception e) {
            streams.close();
            ioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownNow();
            audit.close();
            if (e instanceof InterruptedException) {
                throw (InterruptedException) e;
            }
            throw new IOException(
                    "HTTP API cannot listen on " + config.bindHost() + ':' + config.port() + ": " + e.getMessage(), e);
        }
    }

    /** The address actually bound. */
    /** The audit log this server writes; for tests that break it (close it) to see writes refused. */
    AuditLog auditLog() {
        return audit;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        streams.close();
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        workers.shutdownNow();
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        try {
            audit.close();
        } catch (IOException e) {
            logger.warn("closing the audit log {} failed: {}", audit.file(), e.toString());
        }
    }
}
