package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.alert.ActiveAlert;
import io.headroom.controller.alert.AlertMonitor;
import io.headroom.controller.alert.AlertRule;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/alerts}: the alerts firing in the controller's own evaluation of the shipped
 * Prometheus rules (docs/alerts.md), and the rules with their severity and {@code for:} duration.
 * Viewer role; the router checks it before.
 */
final class AlertRoutes {

    static final String PATH = "/api/v1/alerts";

    private final Supplier<AlertMonitor.Alerts> alerts;
    private final ObjectMapper mapper = new ObjectMapper();

    AlertRoutes(Supplier<AlertMonitor.Alerts> alerts) {
        this.alerts = alerts;
    }

    FullHttpResponse alerts() {
        return json(HttpResponseStatus.OK, body(alerts.get(), mapper));
    }

    /** The JSON of {@link #alerts()}; also the device stream's {@code alerts} event ({@link ViewEvents}). */
    static ObjectNode body(AlertMonitor.Alerts now, ObjectMapper mapper) {
        ObjectNode body = mapper.createObjectNode();
        if (now.evaluatedAt() == null) {
            body.putNull("evaluatedAt");
        } else {
            body.put("evaluatedAt", now.evaluatedAt().toString());
        }
        body.put("intervalSeconds", now.settings().interval().toSeconds());
        body.put("pending", now.pending());
        ArrayNode firing = body.putArray("firing");
        for (ActiveAlert alert : now.firing()) {
            ObjectNode node = firing.addObject();
            node.put("alert", alert.rule().alertName());
            node.put("severity", alert.rule().severity().label());
            node.put("subject", alert.subject());
            node.put("summary", alert.summary());
            node.put("since", alert.since().toString());
            node.put("firingSince", alert.firingSince().toString());
        }
        ArrayNode rules = body.putArray("rules");
        for (AlertRule rule : AlertRule.values()) {
            ObjectNode node = rules.addObject();
            node.put("alert", rule.alertName());
            node.put("severity", rule.severity().label());
            node.put("forSeconds", now.settings().forDuration(rule).toSeconds());
            node.put("evaluatedByController", rule.controllerEvaluated());
        }
        return body;
    }
}
