package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.clip;
import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.alert.FleetSnapshot;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.triage.DeviceTriage;
import io.headroom.controller.triage.TriageFlag;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/v1/devices}: without parameters the whole fleet as an array (the shape since the
 * first release); with any, one page of the devices that match every filter given, in id order,
 * as {@code {"devices": […], "next": <cursor or null>, "total": <matches>}}. Each device carries
 * its triage {@code flags}. Thread-safe; runs on the API's worker threads.
 */
final class DeviceListing {

    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 5000;
    private static final Set<String> PARAMETERS = Set.of("flag", "agent", "rack", "kind", "status", "limit", "after");
    private static final String FLAG_NAMES =
            Arrays.stream(TriageFlag.values()).map(TriageFlag::wireName).collect(Collectors.joining(", "));
    private static final String STATUS_NAMES =
            Arrays.stream(DeviceState.values()).map(Enum::name).collect(Collectors.joining(", "));

    private final ApiContext context;
    private final ObjectMapper mapper;
    private @Nullable SiteModel racksModel;
    private Map<String, String> racks = Map.of();

    DeviceListing(ApiContext context, ObjectMapper mapper) {
        this.context = context;
        this.mapper = mapper;
    }

    FullHttpResponse list(Map<String, List<String>> parameters) {
        DeviceTriage triage = context.triage().now();
        if (parameters.isEmpty()) {
            ArrayNode array = mapper.createArrayNode();
            for (DeviceRecord record : context.store().records()) {
                DeviceView device = record.view();
                array.add(JsonViews.device(mapper, device, triage.flags(device)));
            }
            return json(HttpResponseStatus.OK, array);
        }
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                return error(
                        HttpResponseStatus.BAD_REQUEST,
                        "unknown-parameter",
                        "unknown parameter '" + clip(name) + "'; use " + String.join(", ", sorted(PARAMETERS)));
            }
        }
        for (String name : List.of("agent", "rack", "kind", "status", "limit", "after")) {
            List<String> values = parameters.get(name);
            if (values != null && values.size() != 1) {
                return error(HttpResponseStatus.BAD_REQUEST, "bad-parameter", name + ": give it once");
            }
        }
        EnumSet<TriageFlag> flags = EnumSet.noneOf(TriageFlag.class);
        for (String given : parameters.getOrDefault("flag", List.of())) {
            TriageFlag flag = TriageFlag.parse(given).orElse(null);
            if (flag == null) {
                return error(
                        HttpResponseStatus.BAD_REQUEST,
                        "bad-parameter",
                        "flag: no flag '" + clip(given) + "'; use one of " + FLAG_NAMES);
            }
            flags.add(flag);
        }
        DeviceState status = null;
        String statusName = one(parameters, "status");
        if (statusName != null) {
            try {
                status = DeviceState.valueOf(statusName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return error(
                        HttpResponseStatus.BAD_REQUEST,
                        "bad-parameter",
                        "status: no status '" + clip(statusName) + "'; use one of " + STATUS_NAMES);
            }
        }
        int limit = DEFAULT_LIMIT;
        String limitText = one(parameters, "limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                return error(
                        HttpResponseStatus.BAD_REQUEST, "bad-parameter", "limit: a whole number in 1.." + MAX_LIMIT);
            }
        }
        String agent = one(parameters, "agent");
        String kind = one(parameters, "kind");
        String rack = one(parameters, "rack");
        String after = one(parameters, "after");
        Map<String, String> rackOf = rack == null ? Map.of() : racks();
        ArrayNode page = mapper.createArrayNode();
        String last = null;
        boolean more = false;
        int total = 0;
        // One view at a time, garbage as soon as it is judged: a list of every device's view would be some 200 MB
        // at 100,000 devices, alive for the whole request, which is what G1's young pauses copy (D64). What the
        // record tells (agent, kind and rack never change; status; the flags it cannot have) rules a device out
        // before a view is made, and without a flag to judge a match outside the page needs no view at all.
        for (DeviceRecord record : context.store().records()) {
            if ((agent != null && !agent.equals(record.agent()))
                    || (kind != null && !kind.equals(record.kind()))
                    || (rack != null && !rack.equals(rackOf.get(record.id())))
                    || (status != null && record.status() != status)
                    || !mayHaveAll(triage, flags, record)) {
                continue;
            }
            if (flags.isEmpty() && ((after != null && record.id().compareTo(after) <= 0) || page.size() >= limit)) {
                total++;
                more |= page.size() >= limit;
                continue;
            }
            DeviceView device = record.view();
            if (status != null && device.status() != status) {
                continue; // changed since its record was read: judged as the view shows it
            }
            Map<TriageFlag, String> flagged = triage.flags(device);
            if (!flagged.keySet().containsAll(flags)) {
                continue;
            }
            total++;
            if (after != null && device.id().compareTo(after) <= 0) {
                continue;
            }
            if (page.size() < limit) {
                page.add(JsonViews.device(mapper, device, flagged));
                last = device.id();
            } else {
                more = true;
            }
        }
        ObjectNode body = mapper.createObjectNode();
        body.set("devices", page);
        if (more) {
            body.put("next", last);
        } else {
            body.putNull("next");
        }
        body.put("total", total);
        return json(HttpResponseStatus.OK, body);
    }

    private static boolean mayHaveAll(DeviceTriage triage, Set<TriageFlag> flags, DeviceRecord record) {
        for (TriageFlag flag : flags) {
            if (!triage.mayHave(flag, record)) {
                return false;
            }
        }
        return true;
    }

    /** Device id to rack id from the site model the site view shows; rebuilt when that model changes. */
    private synchronized Map<String, String> racks() {
        SiteModel model = context.siteTree().model();
        if (model != racksModel) {
            racks = Map.copyOf(FleetSnapshot.racksOf(model));
            racksModel = model;
        }
        return racks;
    }

    private static @Nullable String one(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null ? null : values.get(0);
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
