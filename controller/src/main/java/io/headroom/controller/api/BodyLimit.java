package io.headroom.controller.api;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;

/**
 * The request body limit per route, ahead of the aggregator: 64 KiB for every route but those that
 * take a selection of devices (the command dry-run's 5,000 ids of up to 256 characters), which get
 * theirs. A body over its route's limit is answered 413 with the limit in words and the connection
 * closed, from its {@code Content-Length} before a byte of it is buffered, or, chunked, as soon as its
 * bytes pass the limit; the rest of it is dropped unread. The aggregator behind is sized for the
 * largest limit, so it never holds more than one route allows.
 *
 * <p>The route is the request's path as written (query cut off, not percent-decoded): a path spelt
 * differently only gets the default, smaller limit, never a larger one.
 */
final class BodyLimit extends ChannelInboundHandlerAdapter {
    private final int defaultBytes;
    private final Map<String, Integer> byPath;
    private final Counter refused;
    /** Body bytes of the current request so far; -1 while the rest of a refused request is dropped. */
    private long seen;

    private int limit;
    private String path = "";

    BodyLimit(int defaultBytes, Map<String, Integer> byPath, Counter refused) {
        this.defaultBytes = defaultBytes;
        this.byPath = Map.copyOf(byPath);
        this.refused = refused;
    }

    /** The largest limit of any route: what the aggregator behind must hold. */
    static int largest(int defaultBytes, Map<String, Integer> byPath) {
        return byPath.values().stream().mapToInt(Integer::intValue).reduce(defaultBytes, Math::max);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            String uri = request.uri();
            int query = uri.indexOf('?');
            path = query < 0 ? uri : uri.substring(0, query);
            limit = byPath.getOrDefault(path, defaultBytes);
            seen = 0;
            long declared = HttpUtil.getContentLength(request, -1L);
            if (declared > limit) {
                refuse(ctx, "got a Content-Length of " + declared);
                ReferenceCountUtil.release(msg);
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            if (seen < 0) {
                ReferenceCountUtil.release(msg);
                return;
            }
            seen += content.content().readableBytes();
            if (seen > limit) {
                refuse(ctx, "the chunked body ran past it");
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof LastHttpContent) {
                seen = 0;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void refuse(ChannelHandlerContext ctx, String what) {
        seen = -1;
        refused.increment();
        FullHttpResponse response = Responses.error(
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "too-large",
                "body: at most " + limit + " bytes for " + path + "; " + what);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
