package io.headroom.controller.api;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ApiRouter#respond} answers for an authorised {@code GET /api/v1/stream} or
 * {@code GET /api/v1/stream/device/{id}} that {@link DeviceEvents} admits: not a response to write but the sign for
 * {@link RequestDispatcher} to start the stream, with the check that keeps it authorised (a signed-out or expired
 * session ends the stream) and, for a device page's stream, the device. Never written; its content is the shared
 * empty buffer, so nothing needs releasing.
 */
final class StreamStart extends DefaultFullHttpResponse {

    private final BooleanSupplier stillAuthorized;
    private final @Nullable String deviceId;

    StreamStart(BooleanSupplier stillAuthorized, @Nullable String deviceId) {
        super(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
        this.stillAuthorized = stillAuthorized;
        this.deviceId = deviceId;
    }

    BooleanSupplier stillAuthorized() {
        return stillAuthorized;
    }

    /** The device of a device page's stream; null for the site's device stream. */
    @Nullable
    String deviceId() {
        return deviceId;
    }
}
