package io.headroom.controller.api;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in every HTTP pipeline: counts open connections and closes a new one as soon as it is
 * accepted when {@code max} are already open, before it costs a TLS handshake or a decoder. The
 * refusal is counted ({@code headroom.http.connections.refused}) and logged at most once a
 * minute, with the number refused since.
 */
@ChannelHandler.Sharable
final class ConnectionCap extends ChannelInboundHandlerAdapter {
    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

    private final Logger logger = LoggerFactory.getLogger(getClass());
    private final AtomicInteger open = new AtomicInteger();
    private final int max;
    private final Counter refused;
    private final AtomicInteger unlogged = new AtomicInteger();
    private volatile long lastLog = System.nanoTime() - LOG_INTERVAL_NANOS;

    ConnectionCap(int max, Counter refused) {
        this.max = max;
        this.refused = refused;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            refused.increment();
            int count = unlogged.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastLog >= LOG_INTERVAL_NANOS) {
                lastLog = now;
                unlogged.addAndGet(-count);
                logger.warn(
                        "HTTP: {} connections already open (http.max-connections); refused {} since the last"
                                + " report, latest from {}",
                        max,
                        count,
                        ctx.channel().remoteAddress());
            }
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    int open() {
        return open.get();
    }
}
