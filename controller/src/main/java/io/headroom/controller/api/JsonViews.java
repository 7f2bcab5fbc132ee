package io.headroom.controller.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.command.CommandVerbs;
import io.headroom.controller.command.CommandView;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.protocol.wire.Quality;
import java.util.Map;

/** The API's JSON shapes, documented in {@code docs/http-api.md}. */
final class JsonViews {
    private JsonViews() {}

    static ObjectNode device(ObjectMapper mapper, DeviceView device) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", device.id());
        node.put("agent", device.agent());
        node.put("kind", device.kind());
        node.put("model", device.model());
        node.put("profile", device.profile());
        node.put("firmware", device.firmware());
        node.put("nameplatePowerW", device.nameplatePowerW());
        node.put("status", device.status().name());
        node.put("statusReason", device.statusReason());
        node.put("statusMessage", device.statusMessage());
        node.put("statusSince", device.statusSince().toString());
        ObjectNode metrics = node.putObject("metrics");
        for (Map.Entry<String, MetricReading> entry : device.metrics().entrySet()) {
            MetricReading reading = entry.getValue();
            ObjectNode metric = metrics.putObject(entry.getKey());
            metric.put("value", reading.value());
            metric.put("unit", reading.unit());
            metric.put("at", reading.at().toString());
            metric.put("quality", quality(reading.quality()));
        }
        return node;
    }

    static ObjectNode command(ObjectMapper mapper, CommandView command) {
        ObjectNode node = mapper.createObjectNode();
        node.put("commandId", command.commandId());
        node.put("deviceId", command.deviceId());
        node.put("verb", CommandVerbs.name(command.verb()));
        node.put("value", command.value());
        node.put("state", command.state().name());
        node.put("reason", command.reason());
        node.put("message", command.message());
        node.put("readBack", command.readBack());
        node.put("issuedAt", command.issuedAt().toString());
        node.put("updatedAt", command.updatedAt().toString());
        return node;
    }

    static String quality(Quality quality) {
        switch (quality) {
            case QUALITY_GOOD: return "good";
            case QUALITY_UNCERTAIN: return "uncertain";
            default: return "bad";
        }
    }
}
