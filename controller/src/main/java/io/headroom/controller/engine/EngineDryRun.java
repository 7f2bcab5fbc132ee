package io.headroom.controller.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.grid.DryRun;
import io.headroom.controller.grid.GridEventRequest;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code POST /api/v1/grid-events/dry-run}: what the engine would do against the live state if the
 * event's final target held now (the whole plan, not the first ramp step), sending nothing.
 */
public final class EngineDryRun implements DryRun {

    private final EngineLoop loop;
    private final ObjectMapper mapper = new ObjectMapper();

    public EngineDryRun(EngineLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    @Override
    public JsonNode plan(GridEventRequest request, Instant now) {
        double siteKw = loop.siteLoadKw();
        double finalKw = request.target().finalTargetKw(siteKw);
        TickResult result = loop.dryRun(
                new SiteTarget("dry-run", finalKw, finalKw, request.start().plusSeconds(request.rampSeconds())));
        ObjectNode plan = mapper.createObjectNode();
        plan.put("site_load_kw", round(siteKw));
        plan.put("target_kw", round(finalKw));
        plan.put("planned_load_kw", round(result.siteLoadKw()));
        plan.put("reaches_target", result.siteLoadKw() <= finalKw);
        ArrayNode actions = plan.putArray("actions");
        for (Action action : result.actions()) {
            actions.add(DecisionLog.toJson(mapper, new Decision(now, action, false, null, "dry run")));
        }
        return plan;
    }

    private static double round(double kw) {
        return Math.round(kw * 1000) / 1000.0;
    }
}
