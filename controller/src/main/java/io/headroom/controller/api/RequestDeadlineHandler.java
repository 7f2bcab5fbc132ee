package io.headroom.controller.api;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that does not deliver a complete request within the timeout, counted from
 * the connection opening or from the last response. Unlike a reader-idle timeout, a client that
 * trickles one byte at a time (slowloris) cannot keep the connection open this way. Sits after the
 * aggregator; all its state is touched on the channel's event loop only.
 */
final class RequestDeadlineHandler extends ChannelDuplexHandler {

    private final long timeoutNanos;
    private final Counter timeouts;
    private ScheduledFuture<?> deadline;
    private int inFlight;

    RequestDeadlineHandler(long timeoutNanos, Counter timeouts) {
        this.timeoutNanos = timeoutNanos;
        this.timeouts = timeouts;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof FullHttpRequest) {
            inFlight++;
            disarm();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof FullHttpResponse || msg instanceof LastHttpContent) {
            promise = promise.unvoid();
            promise.addListener(done -> {
                inFlight = Math.max(0, inFlight - 1);
                if (inFlight == 0 && ctx.channel().isActive()) {
                    arm(ctx);
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        deadline = ctx.executor()
                .schedule(
                        () -> {
                            if (inFlight == 0 && ctx.channel().isActive()) {
                                timeouts.increment();
                                ctx.close();
                            }
                        },
                        timeoutNanos,
                        TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
