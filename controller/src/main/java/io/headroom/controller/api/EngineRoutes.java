package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.engine.CommandDryRun;
import io.headroom.controller.engine.LimitDryRun;
import io.headroom.controller.site.DeviceLookup;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The control engine's routes: {@code GET /api/v1/decisions}, {@code POST /api/v1/site/dry-run}
 * (docs/control-engine.md) and {@code POST /api/v1/commands/dry-run} (docs/http-api.md). Roles and the write guard are checked by {@link ApiRouter} before.
 */
final class EngineRoutes {

    static final String DECISIONS = "/api/v1/decisions";
    static final int MAX_DECISIONS = 500;
    static final String COMMAND_DRY_RUN = "/api/v1/commands/dry-run";

    private final ApiContext context;
    private final ObjectMapper mapper = new ObjectMapper();
    private final CommandDryRun commandDryRun;

    EngineRoutes(ApiContext context) {
        this.context = context;
        this.commandDryRun = new CommandDryRun(
                context.limitDryRun().map(LimitDryRun::loop).orElse(null),
                context.commands(),
                DeviceLookup.of(context.store()));
    }

    /**
     * What a command to a selection of devices would do, per device and for the site's limits, and the
     * engine's reaction; nothing is sent. Without a control engine the per-device part still answers.
     */
    FullHttpResponse commandDryRun(FullHttpRequest request) {
        JsonNode body;
        try {
            body = mapper.readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return error(HttpResponseStatus.BAD_REQUEST, "invalid", "the body is not JSON: " + e.getOriginalMessage());
        }
        CommandDryRun.Answer answer = commandDryRun.plan(body);
        return json(HttpResponseStatus.valueOf(answer.status()), answer.body());
    }

    /** What the engine would do if one node's limit changed; nothing is sent. */
    FullHttpResponse limitDryRun(FullHttpRequest request) {
        if (context.limitDryRun().isEmpty()) {
            return error(HttpResponseStatus.NOT_FOUND, "no control engine: the controller has no site-model");
        }
        JsonNode body;
        try {
            body = mapper.readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return error(HttpResponseStatus.BAD_REQUEST, "invalid", "the body is not JSON: " + e.getOriginalMessage());
        }
        if (body == null) {
            return error(
                    HttpResponseStatus.BAD_REQUEST, "invalid", "the body is empty; expected {\"node\", \"limit_kw\"}");
        }
        LimitDryRun.Answer answer = context.limitDryRun().get().plan(body);
        return json(HttpResponseStatus.valueOf(answer.status()), answer.body());
    }

    /** The engine's recent decisions, newest first; {@code ?limit=} 1–500, default 100. */
    FullHttpResponse decisions(Map<String, List<String>> parameters) {
        int limit = 100;
        List<String> given = parameters.get("limit");
        if (given != null && !given.isEmpty()) {
            try {
                limit = Integer.parseInt(given.get(0));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_DECISIONS) {
                return error(
                        HttpResponseStatus.BAD_REQUEST,
                        "limit: must be a whole number from 1 to " + MAX_DECISIONS + ", got '" + given.get(0) + "'");
            }
        }
        return json(HttpResponseStatus.OK, context.decisions().toJson(mapper, limit));
    }
}
