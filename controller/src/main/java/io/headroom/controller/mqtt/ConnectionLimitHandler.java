package io.headroom.controller.mqtt;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in every pipeline: counts open connections and closes a new one at once when
 * {@code maxConnections} are already open, before it can cost a decoder or a password check.
 */
@ChannelHandler.Sharable
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private static final Logger logger = LoggerFactory.getLogger(ConnectionLimitHandler.class);

    private final AtomicInteger open;
    private final int maxConnections;
    private final MqttMetrics metrics;

    ConnectionLimitHandler(AtomicInteger open, int maxConnections, MqttMetrics metrics) {
        this.open = open;
        this.maxConnections = maxConnections;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int now = open.incrementAndGet();
        if (now > maxConnections) {
            metrics.violation("connection-limit");
            logger.warn(
                    "MQTT: refusing {}: {} connections already open",
                    ctx.channel().remoteAddress(),
                    maxConnections);
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
}
