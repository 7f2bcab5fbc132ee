package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.clip;
import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.history.History;
import io.headroom.controller.history.HistoryRange;
import io.headroom.controller.history.HistorySeries;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.StateStore;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/devices/{id}/history?metric=…&range=1h|1d}: one metric's short-term history
 * (D41), read with the viewer role like the other device reads. Documented in
 * {@code docs/http-api.md}.
 */
final class HistoryRoutes {
    static final String SEGMENT = "history";
    /** Longer than any display key a profile declares; longer ones are refused before any lookup. */
    static final int MAX_METRIC_LENGTH = 200;
    /** Metric names listed in a 404, at most. */
    private static final int LISTED_METRICS = 40;

    private static final List<String> PARAMETERS = List.of("metric", "range");

    private final StateStore store;
    private final History history;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();

    HistoryRoutes(StateStore store, History history, Clock clock) {
        this.store = store;
        this.history = history;
        this.clock = clock;
    }

    FullHttpResponse history(String deviceId, String uri) {
        Map<String, List<String>> parameters;
        try {
            parameters = new QueryStringDecoder(uri).parameters();
        } catch (IllegalArgumentException e) {
            return error(
                    HttpResponseStatus.BAD_REQUEST,
                    "query string: not valid percent-encoding (" + clip(String.valueOf(e.getMessage())) + ")");
        }
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                return error(
                        HttpResponseStatus.BAD_REQUEST,
                        "unknown query parameter '" + clip(name) + "'; known: " + String.join(", ", PARAMETERS));
            }
        }
        List<String> metrics = parameters.get("metric");
        if (metrics == null || metrics.size() != 1 || metrics.get(0).isEmpty()) {
            return error(
                    HttpResponseStatus.BAD_REQUEST, "query parameter 'metric' is required, once, e.g. metric=power");
        }
        String metric = metrics.get(0);
        if (metric.length() > MAX_METRIC_LENGTH) {
            return error(
                    HttpResponseStatus.BAD_REQUEST,
                    "metric: " + metric.length() + " characters, more than the " + MAX_METRIC_LENGTH + " allowed");
        }
        List<String> ranges = parameters.get("range");
        HistoryRange range = HistoryRange.HOUR;
        if (ranges != null) {
            if (ranges.size() != 1) {
                return error(
                        HttpResponseStatus.BAD_REQUEST,
                        "query parameter 'range' given " + ranges.size() + " times; give it once: "
                                + HistoryRange.spellings());
            }
            var parsed = HistoryRange.parse(ranges.get(0));
            if (parsed.isEmpty()) {
                return error(
                        HttpResponseStatus.BAD_REQUEST,
                        "range: must be one of " + HistoryRange.spellings() + ", got '" + clip(ranges.get(0)) + "'");
            }
            range = parsed.get();
        }
        DeviceRecord device = store.record(deviceId);
        if (device == null) {
            return error(HttpResponseStatus.NOT_FOUND, "no device '" + clip(deviceId) + "'");
        }
        int slot = slotOf(device, metric);
        if (slot < 0) {
            return error(
                    HttpResponseStatus.NOT_FOUND,
                    "device '" + clip(deviceId) + "' has no metric '" + clip(metric) + "'; it has: "
                            + metricNames(device));
        }
        HistorySeries series = history.series(device, slot, range, clock.millis());
        return json(HttpResponseStatus.OK, view(deviceId, series, history.keeps(device, slot)));
    }

    private ObjectNode view(String deviceId, HistorySeries series, boolean kept) {
        ObjectNode node = mapper.createObjectNode();
        node.put("device", deviceId);
        node.put("metric", series.metric());
        node.put("unit", series.unit());
        // False: history.metrics leaves this metric out (D61), so no point will ever come, unlike a
        // kept metric with no sample yet.
        node.put("kept", kept);
        node.put("range", series.range().spelling());
        node.put("resolutionSeconds", series.range().resolutionMillis() / 1000);
        node.put("from", Instant.ofEpochMilli(series.fromMillis()).toString());
        node.put("to", Instant.ofEpochMilli(series.toMillis()).toString());
        ArrayNode points = node.putArray("points");
        // To the decimal the history keeps values to, so 3050 reads 3050.0, not its 12-bit code's 3049.81.
        int scale = series.precision() > 0 ? -(int) Math.ceil(Math.log10(series.precision())) : 6;
        for (int i = 0; i < series.size(); i++) {
            ObjectNode point = points.addObject();
            point.put("at", Instant.ofEpochMilli(series.atMillis(i)).toString());
            point.put("value", round(series.mean(i), scale));
            point.put("max", round(series.max(i), scale));
        }
        return node;
    }

    private static double round(double value, int scale) {
        return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static int slotOf(DeviceRecord device, String metric) {
        for (int i = 0; i < device.slotCount(); i++) {
            if (device.slot(i).displayKey().equals(metric)) {
                return i;
            }
        }
        return -1;
    }

    private static String metricNames(DeviceRecord device) {
        if (device.slotCount() == 0) {
            return "none (its birth declared no metric)";
        }
        StringBuilder names = new StringBuilder();
        int listed = Math.min(device.slotCount(), LISTED_METRICS);
        for (int i = 0; i < listed; i++) {
            if (i > 0) {
                names.append(", ");
            }
            names.append(device.slot(i).displayKey());
        }
        if (device.slotCount() > listed) {
            names.append(" and ").append(device.slotCount() - listed).append(" more");
        }
        return names.toString();
    }
}
