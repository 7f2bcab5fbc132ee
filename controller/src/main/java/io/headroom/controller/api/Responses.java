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
        ObjectNode node = MAPPER.createObjectNode();
        node.put("error", message);
        return json(status, node);
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
