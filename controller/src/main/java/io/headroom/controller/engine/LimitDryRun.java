package io.headroom.controller.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteNodeKind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code POST /api/v1/site/dry-run}: what the engine would do against the live state if one node's
 * limit were changed (a breaker derated, the interconnect lowered), sending nothing.
 */
public final class LimitDryRun {

    /** The answer: an HTTP status and its JSON body. */
    public record Answer(int status, JsonNode body) {}

    private final EngineLoop loop;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();

    public LimitDryRun(EngineLoop loop, Clock clock) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The engine this plans with: the command dry-run ({@link CommandDryRun}) plans with it too. */
    public EngineLoop loop() {
        return loop;
    }

    /**
     * Plans for a body {@code {"node": "<id>", "limit_kw": <kW>}}; {@code kind} (site, feed, pdu,
     * circuit, rack) is needed only when two nodes share an id.
     */
    public Answer plan(JsonNode body) {
        List<String> problems = new ArrayList<>();
        if (!body.isObject()) {
            return error(400, "the body must be a JSON object with node and limit_kw");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!List.of("node", "kind", "limit_kw").contains(name)) {
                problems.add(name + ": unknown field; expected node, kind, limit_kw");
            }
        });
        JsonNode node = body.get("node");
        JsonNode limit = body.get("limit_kw");
        if (node == null || !node.isTextual()) {
            problems.add("node: required, the id of a site, feed, PDU, circuit or rack");
        }
        if (limit == null || !limit.isNumber() || !(limit.asDouble() > 0) || limit.asDouble() > 1_000_000) {
            problems.add("limit_kw: required, a number of kW above 0 and at most 1000000");
        }
        if (!problems.isEmpty()) {
            return error(400, String.join("; ", problems));
        }
        SiteModel model = loop.state().model();
        int index = find(model, node.asText(), body.path("kind").asText(""));
        if (index < 0) {
            return error(404, "node: no site, feed, PDU, circuit or rack '" + node.asText() + "' in the site model");
        }
        SiteModel changed = model.withLimit(index, limit.asDouble());
        TickResult result = loop.dryRun(changed, null);
        ObjectNode plan = mapper.createObjectNode();
        plan.put("node", model.id(index));
        plan.put("kind", model.kind(index).wireName());
        plan.put("limit_kw", limit.asDouble());
        if (!Double.isNaN(model.limitKw(index))) {
            plan.put("current_limit_kw", model.limitKw(index));
        }
        ArrayNode over = plan.putArray("over");
        for (Constraint constraint : result.over()) {
            ObjectNode c = over.addObject();
            c.put("node", constraint.nodeId());
            c.put("kind", constraint.nodeKind());
            c.put("limit", constraint.kind().wireName());
            c.put("load_kw", Math.round(constraint.loadKw() * 1000) / 1000.0);
            c.put("limit_kw", Math.round(constraint.limitKw() * 1000) / 1000.0);
        }
        ArrayNode actions = plan.putArray("actions");
        for (Action action : result.actions()) {
            actions.add(DecisionLog.toJson(mapper, new Decision(clock.instant(), action, false, null, "dry run")));
        }
        return new Answer(200, plan);
    }

    private static int find(SiteModel model, String id, String kind) {
        for (SiteNodeKind k : SiteNodeKind.values()) {
            if (k == SiteNodeKind.DEVICE || (!kind.isEmpty() && !k.wireName().equals(kind))) {
                continue;
            }
            int index = model.indexOf(k, id);
            if (index >= 0) {
                return index;
            }
        }
        return -1;
    }

    private Answer error(int status, String message) {
        ObjectNode node = mapper.createObjectNode();
        node.put("error", message);
        node.put("reason", status == 404 ? "not-found" : "invalid");
        return new Answer(status, node);
    }
}
