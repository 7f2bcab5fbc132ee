package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.notAllowed;

import io.headroom.controller.store.StateStore;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The streams' routes, for a signed-in viewer: {@code GET /api/v1/stream} (the site page's device stream) and
 * {@code GET /api/v1/stream/device/{id}} (one device's page, {@link DevicePageEvents}, D59). Both share
 * {@link DeviceEvents}' cap; an admitted one is answered {@link StreamStart}, which the dispatcher turns into the
 * stream.
 */
final class StreamRoutes {

    /** The device stream (server-sent events, {@link DeviceEvents}). */
    static final String STREAM = "/api/v1/stream";
    /** One device's stream: its id follows. */
    static final String DEVICE_STREAM = STREAM + "/device/";

    private final DeviceEvents streams;
    private final StateStore store;
    private final ApiGate gate;

    StreamRoutes(DeviceEvents streams, StateStore store, ApiGate gate) {
        this.streams = streams;
        this.store = store;
        this.gate = gate;
    }

    static boolean handles(String path) {
        return path.equals(STREAM) || path.startsWith(STREAM + '/');
    }

    FullHttpResponse route(FullHttpRequest request, String path) {
        String deviceId = null;
        if (!path.equals(STREAM)) {
            String rest = path.startsWith(DEVICE_STREAM) ? path.substring(DEVICE_STREAM.length()) : "";
            if (rest.isEmpty() || rest.indexOf('/') >= 0) {
                return error(HttpResponseStatus.NOT_FOUND, "no such resource: " + Responses.clip(path));
            }
            deviceId = rest;
        }
        if (!request.method().equals(HttpMethod.GET)) {
            return notAllowed("GET");
        }
        // A device page asks for a device it saw; one unknown now is the route's 404, as GET /api/v1/devices/{id}.
        if (deviceId != null && store.record(deviceId) == null) {
            return error(HttpResponseStatus.NOT_FOUND, "no device '" + Responses.clip(deviceId) + "'");
        }
        if (!streams.admit()) {
            FullHttpResponse busy = error(
                    HttpResponseStatus.SERVICE_UNAVAILABLE, "streams-busy", "too many streams are open; retry shortly");
            busy.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
            return busy;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String cookies = request.headers().get(HttpHeaderNames.COOKIE);
        return new StreamStart(() -> gate.authenticator().stillSignedIn(authorization, cookies), deviceId);
    }
}
