package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.clip;
import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.json;
import static io.headroom.controller.api.Responses.notAllowed;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.api.auth.Principal;
import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.grid.GridEventException;
import io.headroom.controller.grid.GridEventRequest;
import io.headroom.controller.grid.GridEventView;
import io.headroom.controller.grid.GridEvents;
import io.headroom.controller.grid.Submission;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/grid-events}: list (GET), submit (POST; 201 created, 200 updated), one event
 * with its compliance record (GET {id}), edit (PATCH {id}: a JSON merge of the editable fields, D56;
 * 409 when ended or the field is fixed), cancel (DELETE {id}; 409 when over already) and {@code
 * POST /api/v1/grid-events/dry-run}. The router has checked the write guard and the role before;
 * every submit, edit and cancel is audited, whatever its outcome. Thread-safe.
 */
final class GridEventRoutes {
    static final String PATH = GridEvents.PATH;
    static final String DRY_RUN = PATH + "/dry-run";
    /** A grid event is a few hundred bytes of JSON; more is not one. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private static final int AUDIT_DETAIL_CHARS = 300;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final ObjectMapper mapper = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final GridEvents grid;
    private final ApiGate gate;
    private final Clock clock;

    GridEventRoutes(GridEvents grid, ApiGate gate, Clock clock) {
        this.grid = grid;
        this.gate = gate;
        this.clock = clock;
    }

    /** Why every route answers 404 without a book. */
    static final String NO_BOOK =
            "no grid events: no site model configured; set 'site-model: <path to site.yaml>' in controller.yaml";

    /** Whether {@code path} is one of these routes. */
    static boolean handles(String path) {
        return path.equals(PATH) || path.startsWith(PATH + '/');
    }

    FullHttpResponse route(FullHttpRequest request, String path, Principal who, Peer peer) {
        Optional<GridEventBook> found = grid.book();
        if (found.isEmpty()) {
            return error(HttpResponseStatus.NOT_FOUND, NO_BOOK);
        }
        GridEventBook book = found.get();
        HttpMethod method = request.method();
        if (path.equals(PATH)) {
            if (method.equals(HttpMethod.GET)) {
                return json(HttpResponseStatus.OK, list(book, mapper));
            }
            if (method.equals(HttpMethod.POST)) {
                FullHttpResponse response = submit(book, request, who);
                audit(request, response, who, peer, "");
                return response;
            }
            return notAllowed("GET, POST");
        }
        if (path.equals(DRY_RUN)) {
            return method.equals(HttpMethod.POST) ? dryRun(book, request, who) : notAllowed("POST");
        }
        String id = path.substring(PATH.length() + 1);
        if (!ID.matcher(id).matches()) {
            return error(HttpResponseStatus.NOT_FOUND, "no grid event '" + clip(id) + "'");
        }
        if (method.equals(HttpMethod.GET)) {
            Optional<GridEventView> view = book.get(id);
            return view.isPresent()
                    ? json(HttpResponseStatus.OK, view.get().toJson(mapper))
                    : error(HttpResponseStatus.NOT_FOUND, "no grid event '" + id + "'");
        }
        if (method.equals(HttpMethod.DELETE)) {
            FullHttpResponse response = cancel(book, id, who);
            audit(request, response, who, peer, id);
            return response;
        }
        if (method.equals(HttpMethod.PATCH)) {
            FullHttpResponse response = edit(book, id, request);
            audit(request, response, who, peer, id);
            return response;
        }
        return notAllowed("GET, PATCH, DELETE");
    }

    /**
     * The JSON of {@code GET /api/v1/grid-events}: every event in the book. Also the device stream's {@code
     * grid-events} event ({@link ViewEvents}).
     */
    static ArrayNode list(GridEventBook book, ObjectMapper mapper) {
        ArrayNode array = mapper.createArrayNode();
        for (GridEventView view : book.list()) {
            array.add(view.toJson(mapper));
        }
        return array;
    }

    private FullHttpResponse submit(GridEventBook book, FullHttpRequest request, Principal who) {
        Instant now = clock.instant();
        Object parsed = parse(request, now);
        if (parsed instanceof FullHttpResponse refused) {
            return refused;
        }
        try {
            Submission submission = book.submit((GridEventRequest) parsed, who.name(), now);
            String id = submission.event().id();
            FullHttpResponse response = json(
                    submission.created() ? HttpResponseStatus.CREATED : HttpResponseStatus.OK,
                    submission.event().toJson(mapper));
            response.headers().set(HttpHeaderNames.LOCATION, PATH + "/" + id);
            return response;
        } catch (GridEventException e) {
            return refusal(e);
        }
    }

    private FullHttpResponse dryRun(GridEventBook book, FullHttpRequest request, Principal who) {
        Instant now = clock.instant();
        Object parsed = parse(request, now);
        if (parsed instanceof FullHttpResponse refused) {
            return refused;
        }
        GridEventRequest event = (GridEventRequest) parsed;
        ObjectNode node = mapper.createObjectNode();
        node.set("event", book.preview(event, who.name(), now).toJson(mapper));
        node.set("plan", grid.dryRun().plan(event, now));
        return json(HttpResponseStatus.OK, node);
    }

    private FullHttpResponse cancel(GridEventBook book, String id, Principal who) {
        try {
            Optional<GridEventView> view = book.cancel(id, who.name(), clock.instant());
            return view.isPresent()
                    ? json(HttpResponseStatus.OK, view.get().toJson(mapper))
                    : error(HttpResponseStatus.NOT_FOUND, "no grid event '" + id + "'");
        } catch (GridEventException e) {
            return refusal(e);
        }
    }

    private FullHttpResponse edit(GridEventBook book, String id, FullHttpRequest request) {
        Object body = body(request);
        if (body instanceof FullHttpResponse refused) {
            return refused;
        }
        try {
            Optional<GridEventView> view = book.edit(id, (JsonNode) body, clock.instant());
            return view.isPresent()
                    ? json(HttpResponseStatus.OK, view.get().toJson(mapper))
                    : error(HttpResponseStatus.NOT_FOUND, "no grid event '" + id + "'");
        } catch (GridEventException e) {
            return refusal(e);
        }
    }

    /** The request, or the response that refuses it. */
    private Object parse(FullHttpRequest request, Instant now) {
        Object body = body(request);
        if (body instanceof FullHttpResponse refused) {
            return refused;
        }
        try {
            return GridEventRequest.parse((JsonNode) body, now);
        } catch (GridEventException e) {
            return refusal(e);
        }
    }

    /** The body as JSON (a missing body as JSON's missing node), or the response that refuses it. */
    private Object body(FullHttpRequest request) {
        if (request.content().readableBytes() > MAX_BODY_BYTES) {
            return error(
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "body: at most " + MAX_BODY_BYTES + " bytes for a grid event, got "
                            + request.content().readableBytes());
        }
        try {
            JsonNode body = mapper.readTree(request.content().toString(StandardCharsets.UTF_8));
            return body == null ? MissingNode.getInstance() : body;
        } catch (JsonProcessingException e) {
            return error(HttpResponseStatus.BAD_REQUEST, "body: not valid JSON: " + e.getOriginalMessage());
        }
    }

    private FullHttpResponse refusal(GridEventException e) {
        ObjectNode node = mapper.createObjectNode();
        node.put("error", e.getMessage());
        ArrayNode problems = node.putArray("problems");
        e.problems().forEach(problems::add);
        return json(HttpResponseStatus.valueOf(e.reason().status()), node);
    }

    /** One audit entry per submit or cancel, whatever the outcome. */
    private void audit(FullHttpRequest request, FullHttpResponse response, Principal who, Peer peer, String id) {
        String detail = request.content().toString(StandardCharsets.UTF_8);
        if (detail.length() > AUDIT_DETAIL_CHARS) {
            detail = detail.substring(0, AUDIT_DETAIL_CHARS) + "…";
        }
        boolean cancel = request.method().equals(HttpMethod.DELETE);
        int status = response.status().code();
        String action = cancel
                ? "grid-event-cancel"
                : request.method().equals(HttpMethod.PATCH)
                        ? "grid-event-edit"
                        : status == 200 ? "grid-event-update" : "grid-event-create";
        String target = id;
        String outcome;
        try {
            JsonNode answer = mapper.readTree(response.content().toString(StandardCharsets.UTF_8));
            if (answer.has("id")) {
                target = answer.path("id").asText();
                outcome = "grid event " + target + " " + answer.path("state").asText() + " revision "
                        + answer.path("revision").asInt();
            } else {
                outcome = answer.path("error").asText();
            }
        } catch (JsonProcessingException e) {
            outcome = response.status().reasonPhrase();
        }
        gate.record(clock.instant(), who, peer, action, target, cancel ? "" : detail, status, outcome);
    }
}
