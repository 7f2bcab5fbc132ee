package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.StateStore;
import io.headroom.controller.store.StatusChange;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code GET /api/v1/devices/{id}/timeline}: the device's last changes of status or status reason,
 * oldest first, for the device page's status timeline and a technician's bug report.
 */
final class TimelineRoutes {

    static final String SEGMENT = "timeline";

    private final StateStore store;

    TimelineRoutes(StateStore store) {
        this.store = store;
    }

    FullHttpResponse timeline(String deviceId) {
        DeviceRecord record = store.record(deviceId);
        if (record == null) {
            return error(HttpResponseStatus.NOT_FOUND, "no device '" + Responses.clip(deviceId) + "'");
        }
        return json(HttpResponseStatus.OK, body(record));
    }

    /** The timeline's JSON: what the route answers, and the device stream's {@code timeline} event. */
    static ObjectNode body(DeviceRecord record) {
        ObjectNode body = Responses.MAPPER.createObjectNode();
        body.put("device", record.id());
        body.put("capacity", DeviceRecord.TIMELINE_CAPACITY);
        ArrayNode changes = body.putArray("changes");
        for (StatusChange change : record.timeline()) {
            changes.addObject()
                    .put("at", change.at().toString())
                    .put("status", change.status().name())
                    .put("reason", change.reason())
                    .put("message", change.message());
        }
        return body;
    }
}
