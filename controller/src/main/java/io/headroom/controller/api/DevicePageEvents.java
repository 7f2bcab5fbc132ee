package io.headroom.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.history.HistoryRange;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.triage.DeviceTriage;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The events of a device page's stream, {@code GET /api/v1/stream/device/{id}} (D59): the parts of the page, each
 * the JSON its route answers — {@code device} ({@code GET /api/v1/devices/{id}}), {@code timeline}
 * ({@code …/timeline}), {@code commands} ({@code GET /api/v1/commands?device=}), {@code decisions} (those of
 * {@code GET /api/v1/decisions?limit=500} about the device or its outlets) — and {@code history-bucket}, when each
 * history range last closed a bucket, so that the chart re-reads {@code …/history} only then. A stream is sent every
 * part first, then each part whose event is not the one it was last sent: coalesced by construction, a stream that
 * could not be written to for a while gets the latest of each part, never a backlog. A device that is gone gets one
 * {@code removed} event; if its id comes back (a claimant's fresh Birth after a release) the stream is sent every part
 * again.
 *
 * <p>Built on {@link DeviceEvents}' ticking thread, once per tick for each device some stream watches (however many
 * streams watch it), by looking the device up by id: the cost is the number of devices watched, never the store's
 * size. Not thread-safe: only the ticking thread calls it.
 */
final class DevicePageEvents {

    /** Event names, in the order a tick's events go out. */
    static final List<String> PARTS = List.of("device", "timeline", "commands", "decisions", "history-bucket");

    private final ApiContext context;
    private final ObjectMapper mapper = Responses.MAPPER;
    /** This tick's events of each device watched, by id; a gone device maps to {@link #GONE}. */
    private final Map<String, Map<String, String>> built = new HashMap<>();

    private static final Map<String, String> GONE = Map.of();
    private @Nullable DeviceTriage judge;
    private Instant now = Instant.EPOCH;

    /** What one stream was sent of its device's page. Guarded by the stream that holds it. */
    static final class Page {
        final String deviceId;
        /** Each part's event as it last went out to this stream. */
        final Map<String, String> sent = new HashMap<>();

        boolean removedSent;

        Page(String deviceId) {
            this.deviceId = deviceId;
        }
    }

    DevicePageEvents(ApiContext context) {
        this.context = context;
    }

    /** Forgets the last tick's builds: each device watched is built again, at most once, this tick. */
    void beginTick() {
        built.clear();
        judge = null;
        now = context.clock().instant();
    }

    /** What {@code page}'s stream is to be written now: the parts that changed for it, or "" for nothing. */
    String next(Page page) {
        Map<String, String> events = built.computeIfAbsent(page.deviceId, this::build);
        if (events == GONE) {
            if (page.removedSent) {
                return "";
            }
            page.removedSent = true;
            page.sent.clear();
            ObjectNode body = mapper.createObjectNode();
            body.put("at", now.toString());
            body.put("id", page.deviceId);
            body.put("error", "no device '" + Responses.clip(page.deviceId) + "'");
            return event("removed", body);
        }
        page.removedSent = false;
        StringBuilder text = new StringBuilder();
        for (String part : PARTS) {
            String event = events.get(part);
            if (!event.equals(page.sent.put(part, event))) {
                text.append(event);
            }
        }
        return text.toString();
    }

    /** The device's events now, by part; {@link #GONE} when the store has no such id. */
    private Map<String, String> build(String deviceId) {
        DeviceRecord record = context.store().record(deviceId);
        if (record == null) {
            return GONE;
        }
        DeviceView view = record.view();
        if (judge == null) {
            judge = context.triage().now();
        }
        Map<String, String> events = new HashMap<>();
        events.put("device", event("device", JsonViews.deviceDetail(mapper, view, judge, context.market(), now)));
        events.put("timeline", event("timeline", TimelineRoutes.body(record)));
        events.put(
                "commands",
                event(
                        "commands",
                        JsonViews.commands(
                                mapper, context.commands().recentForDevice(deviceId, ApiRouter.RECENT_COMMANDS))));
        events.put(
                "decisions",
                event("decisions", context.decisions().toJsonAbout(mapper, deviceId, EngineRoutes.MAX_DECISIONS)));
        events.put("history-bucket", event("history-bucket", buckets()));
        return events;
    }

    /**
     * For each history range, when its latest bucket closed (the start of the one now open): it moves every 10 s for
     * {@code 1h}, every 5 min for {@code 1d}, and only then has {@code …/history} a new point to show.
     */
    private ObjectNode buckets() {
        ObjectNode body = mapper.createObjectNode();
        for (HistoryRange range : HistoryRange.values()) {
            long resolution = range.resolutionMillis();
            body.put(
                    range.spelling(),
                    Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), resolution) * resolution)
                            .toString());
        }
        return body;
    }

    /** One event: its name, its data on one line (Jackson escapes the line breaks inside strings), a blank line. */
    private static String event(String name, JsonNode data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }
}
