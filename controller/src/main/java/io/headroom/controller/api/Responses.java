package io.headroom.controller.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.api.auth.Refusal;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** The API's response shapes: JSON bodies and {@code {"error": …, "reason": …}} errors. */
final class Responses {
    static final String JSON = "application/json; charset=utf-8";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Responses() {}

    static FullHttpResponse error(HttpResponseStatus status, String message) {
        return json(status, errorBody(message));
    }

    /** The body of {@link #error(HttpResponseStatus, String)}: {@code {"error": message}}. */
    static ObjectNode errorBody(String message) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("error", message);
        return node;
    }

    static FullHttpResponse error(HttpResponseStatus status, String reason, String message) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("error", message);
        node.put("reason", reason);
        return json(status, node);
    }

    /**
     * A refusal before routing. 401 carries {@code WWW-Authenticate: Bearer} (not Basic, so a
     * browser shows the page's own sign-in form rather than its password dialog); 429 Retry-After.
     */
    /** 405 with the methods the resource takes, in words and in {@code Allow}. */
    static FullHttpResponse notAllowed(String allow) {
        FullHttpResponse response = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed; use " + allow);
        response.headers().set(io.netty.handler.codec.http.HttpHeaderNames.ALLOW, allow);
        return response;
    }

    /** A client's text as it goes back in an error: at most 64 characters. */
    static String clip(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    static FullHttpResponse refusal(Refusal refusal) {
        FullHttpResponse response =
                error(HttpResponseStatus.valueOf(refusal.status()), refusal.reason(), refusal.message());
        if (refusal.status() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"headroom\"");
        }
        if (refusal.retryAfterSeconds() > 0) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
        }
        return response;
    }

    static FullHttpResponse json(HttpResponseStatus status, JsonNode node) {
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        FullHttpResponse response = bytes(status, body, JSON);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }

    static FullHttpResponse bytes(HttpResponseStatus status, byte[] body, String contentType) {
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return response;
    }
}
