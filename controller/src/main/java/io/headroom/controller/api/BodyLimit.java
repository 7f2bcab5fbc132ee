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
 * theirs. A body over its route's limit is answered 413 with the limit in words, from its
 * {@code Content-Length} before a byte of it is buffered, or, chunked, as soon as its bytes pass the
 * limit; the rest of it is read and dropped, never buffered, and the connection then goes on after a
 * declared length, or ends after a chunked body (and without keep-alive; at once for a client that
 * waits for 100 Continue and so sends no body). The
 * aggregator behind is sized for the largest limit, so it never holds more than one route allows.
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
    /** Whether the connection ends once the refused request's body has been read (no keep-alive). */
    private boolean closeAfter;

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
            closeAfter = !HttpUtil.isKeepAlive(request);
            long declared = HttpUtil.getContentLength(request, -1L);
            if (declared > limit) {
                // A client that waits for 100 Continue sends no body: nothing is left to read, so close now.
                boolean waiting = HttpUtil.is100ContinueExpected(request);
                refuse(ctx, "got a Content-Length of " + declared, waiting);
                if (msg instanceof LastHttpContent) {
                    seen = 0;
                }
                ReferenceCountUtil.release(msg);
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            if (seen < 0) {
                drop(ctx, content);
                return;
            }
            seen += content.content().readableBytes();
            if (seen > limit) {
                // The aggregator behind holds the start of this request and cannot be told to forget it: the
                // connection ends, but only once the body is read to its end, so the 413 is not lost to a reset.
                closeAfter = true;
                refuse(ctx, "the chunked body ran past it", false);
                drop(ctx, content);
                return;
            }
            if (msg instanceof LastHttpContent) {
                seen = 0;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Reads a refused request's body to its end, unused, so that the answer is not lost to a reset (a
     * socket closed with unread data answers with RST, and the client may never see the 413); then the
     * connection goes on, or ends without keep-alive. The request deadline bounds how long this may take.
     */
    private void drop(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        ReferenceCountUtil.release(content);
        if (last) {
            seen = 0;
            if (closeAfter) {
                ctx.close();
            }
        }
    }

    private void refuse(ChannelHandlerContext ctx, String what, boolean closeNow) {
        seen = -1;
        refused.increment();
        FullHttpResponse response = Responses.error(
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "too-large",
                "body: at most " + limit + " bytes for " + path + "; " + what);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (closeNow || closeAfter) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (closeNow) {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response);
        }
    }
}
