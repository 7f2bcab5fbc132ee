package io.headroom.controller.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.api.auth.AuditEntry;
import io.headroom.controller.command.CommandVerbs;
import io.headroom.controller.command.CommandView;
import io.headroom.controller.market.Market;
import io.headroom.controller.store.DeviceCapability;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.controller.triage.DeviceTriage;
import io.headroom.controller.triage.TriageFlag;
import io.headroom.protocol.wire.Quality;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The API's JSON shapes, documented in {@code docs/http-api.md}. */
final class JsonViews {
    private JsonViews() {}

    /**
     * A device with its triage flags ({@code {"hot": "<why>", …}}, an empty object when none): the
     * shape of the device list, of one device and of the stream.
     */
    static ObjectNode device(ObjectMapper mapper, DeviceView device, Map<TriageFlag, String> flags) {
        ObjectNode node = device(mapper, device);
        ObjectNode flagged = node.putObject("flags");
        flags.forEach((flag, why) -> flagged.put(flag.wireName(), why));
        return node;
    }

    static ObjectNode device(ObjectMapper mapper, DeviceView device) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", device.id());
        node.put("agent", device.agent());
        node.put("kind", device.kind());
        node.put("model", device.model());
        node.put("profile", device.profile());
        node.put("firmware", device.firmware());
        node.put("nameplatePowerW", device.nameplatePowerW());
        node.put("nameplateHashrateThs", device.nameplateHashrateThs());
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
        ArrayNode capabilities = node.putArray("capabilities");
        for (DeviceCapability capability : device.capabilities()) {
            capabilities.add(capability(mapper, capability));
        }
        // Owner first, then the other agents reporting this id; absent when there is no conflict.
        if (device.inConflict()) {
            ArrayNode conflict = node.putArray("conflict");
            device.conflict().forEach(conflict::add);
        }
        if (device.agentClockOffsetMs() != null) {
            node.put("agentClockOffsetMs", device.agentClockOffsetMs().longValue());
        } else {
            node.putNull("agentClockOffsetMs");
        }
        return node;
    }

    /** One capability; fields that do not apply (no unit, no range, no instances, zero times) are left out. */
    static ObjectNode capability(ObjectMapper mapper, DeviceCapability capability) {
        ObjectNode node = mapper.createObjectNode();
        node.put("verb", CommandVerbs.name(capability.verb()));
        if (!capability.unit().isEmpty()) {
            node.put("unit", capability.unit());
        }
        if (CommandVerbs.takesValue(capability.verb()) || capability.min() != 0 || capability.max() != 0) {
            node.put("min", capability.min());
            node.put("max", capability.max());
        }
        if (capability.step() != 0) {
            node.put("step", capability.step());
        }
        if (!capability.instances().isEmpty()) {
            ArrayNode instances = node.putArray("instances");
            capability.instances().forEach(instances::add);
        }
        if (!capability.settle().isZero()) {
            node.put("settleMs", capability.settle().toMillis());
        }
        if (!capability.ramp().isZero()) {
            node.put("rampMs", capability.ramp().toMillis());
        }
        if (!capability.readBackMetric().isEmpty()) {
            ObjectNode readBack = node.putObject("readBack");
            readBack.put("metric", capability.readBackMetric());
            readBack.put("tolerance", capability.tolerance());
        }
        node.put("dangerous", capability.dangerous());
        return node;
    }

    /**
     * One device as {@code GET /api/v1/devices/{id}} answers it: its flags from {@code judge} and, with a
     * market, its economics at {@code now}.
     */
    static ObjectNode deviceDetail(
            ObjectMapper mapper, DeviceView device, DeviceTriage judge, Optional<Market> market, Instant now) {
        ObjectNode node = device(mapper, device, judge.flags(device));
        DeviceEconomics.put(node, device, market, now);
        return node;
    }

    /** A device's recent commands, as {@code GET /api/v1/commands?device=} answers them. */
    static ArrayNode commands(ObjectMapper mapper, List<CommandView> commands) {
        ArrayNode array = mapper.createArrayNode();
        for (CommandView view : commands) {
            array.add(command(mapper, view));
        }
        return array;
    }

    static ObjectNode command(ObjectMapper mapper, CommandView command) {
        ObjectNode node = mapper.createObjectNode();
        node.put("commandId", command.commandId());
        node.put("deviceId", command.deviceId());
        node.put("verb", CommandVerbs.name(command.verb()));
        node.put("value", command.value());
        node.put("instance", command.instance());
        node.put("state", command.state().name());
        node.put("reason", command.reason());
        node.put("message", command.message());
        node.put("readBack", command.readBack());
        node.put("issuedAt", command.issuedAt().toString());
        node.put("updatedAt", command.updatedAt().toString());
        return node;
    }

    static ObjectNode audit(ObjectMapper mapper, AuditEntry entry) {
        ObjectNode node = mapper.createObjectNode();
        node.put("at", entry.at().toString());
        node.put("user", entry.user());
        node.put("role", entry.role());
        node.put("action", entry.action());
        node.put("target", entry.target());
        node.put("detail", entry.detail());
        node.put("source", entry.source());
        node.put("status", entry.status());
        node.put("outcome", entry.outcome());
        return node;
    }

    static String quality(Quality quality) {
        switch (quality) {
            case QUALITY_GOOD:
                return "good";
            case QUALITY_UNCERTAIN:
                return "uncertain";
            default:
                return "bad";
        }
    }
}
