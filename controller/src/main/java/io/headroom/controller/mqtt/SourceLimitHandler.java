package io.headroom.controller.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Second in every pipeline, right after the global connection limit: closes a new connection at
 * once when its source address is penalised for failed logins or already has
 * {@link MqttLimits#maxPreAuthPerAddress()} connections waiting to be accepted. The slot is given
 * back when the connection is accepted ({@link #release}) or closes.
 */
@ChannelHandler.Sharable
final class SourceLimitHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "sourceLimit";
    private static final AttributeKey<InetAddress> PENDING = AttributeKey.valueOf(SourceLimitHandler.class, "pending");

    private final EndpointContext context;

    SourceLimitHandler(EndpointContext context) {
        this.context = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = address(ctx.channel());
        if (address == null) {
            ctx.fireChannelActive();
            return;
        }
        SourceLimits.Refusal refusal = context.sourceLimits().open(address);
        switch (refusal) {
            case NONE -> {
                ctx.channel().attr(PENDING).set(address);
                ctx.fireChannelActive();
            }
            case PENALISED -> {
                context.metrics().violation("address-penalised");
                context.log()
                        .warn(
                                "address-penalised",
                                "MQTT: refusing {}: too many failed logins from this address",
                                ctx.channel().remoteAddress());
                ctx.close();
            }
            case PRE_AUTH_LIMIT -> {
                context.metrics().violation("pre-auth-limit");
                context.log()
                        .warn(
                                "pre-auth-limit",
                                "MQTT: refusing {}: {} connections from this address are already waiting to log in",
                                ctx.channel().remoteAddress(),
                                context.limits().maxPreAuthPerAddress());
                ctx.close();
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release(ctx.channel(), context);
        ctx.fireChannelInactive();
    }

    /** Gives back the connection's pre-auth slot; idempotent. */
    static void release(Channel channel, EndpointContext context) {
        InetAddress address = channel.attr(PENDING).getAndSet(null);
        if (address != null) {
            context.sourceLimits().release(address);
        }
    }

    /** The peer's IP address, or null for a channel without one (an in-memory test channel). */
    static InetAddress address(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
