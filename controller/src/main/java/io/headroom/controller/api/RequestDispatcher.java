package io.headroom.controller.api;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one connection's requests to the shared worker pool, one at a time and in arrival order,
 * so pipelined requests are answered in order (RFC 9112 §9.3.2) while the event loop only moves
 * bytes. A request the pool has no room for is answered 503 at once. One instance per connection.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final Logger logger = LoggerFactory.getLogger(getClass());
    private final ApiRouter router;
    private final DeviceEvents streams;
    private final Executor workers;
    private final boolean tls;
    /** Guarded by {@code this}. */
    private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
    /** Guarded by {@code this}. */
    private boolean running;
    /** Once this connection carries a device stream, nothing else is answered on it. */
    private volatile boolean streaming;

    RequestDispatcher(ApiRouter router, DeviceEvents streams, Executor workers, boolean tls) {
        this.router = router;
        this.streams = streams;
        this.workers = workers;
        this.tls = tls;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (streaming) {
            // A request behind a stream's cannot be answered (the stream is the response): drop the connection.
            ctx.close();
            return;
        }
        boolean keepAlive =
                HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        FullHttpRequest retained = request.retain();
        Peer peer = new Peer((InetSocketAddress) ctx.channel().remoteAddress(), tls);
        Runnable task = () -> {
            FullHttpResponse response;
            try {
                response = router.respond(retained, peer);
            } finally {
                retained.release();
            }
            if (response instanceof StreamStart start) {
                startStream(ctx, start);
                return;
            }
            write(ctx, response, keepAlive);
        };
        synchronized (this) {
            pending.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            workers.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                pending.remove(task);
                running = false;
            }
            retained.release();
            write(ctx, router.overloaded(), false);
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = pending.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                logger.error("HTTP request handling failed", e);
            }
        }
    }

    /**
     * Turns this connection into a device stream: the request deadline no longer applies (the response never
     * completes), and the stream's events are written from then on by {@link DeviceEvents}.
     */
    private void startStream(ChannelHandlerContext ctx, StreamStart start) {
        streaming = true;
        ctx.channel().eventLoop().execute(() -> {
            if (ctx.pipeline().get("deadline") != null) {
                ctx.pipeline().remove("deadline");
            }
            streams.start(ctx.channel(), start.stillAuthorized(), start.deviceId());
        });
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        logger.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
