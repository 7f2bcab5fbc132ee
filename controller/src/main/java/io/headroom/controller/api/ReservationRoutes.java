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
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.api.auth.Principal;
import io.headroom.controller.reservation.CapacityCheck;
import io.headroom.controller.reservation.ReservationBook;
import io.headroom.controller.reservation.ReservationException;
import io.headroom.controller.reservation.ReservationRequest;
import io.headroom.controller.reservation.Reservations;
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
 * {@code /api/v1/reservations}: list (GET), request (POST; 201 accepted, 200 the same reference
 * again, 422 with the arithmetic when the capacity cannot be freed), one reservation with its record
 * of promised against freed (GET {id}), edit (PATCH {id}: a JSON merge of the editable fields, D56;
 * 409 when ended or the start has passed, 422 when the new terms cannot be freed) and cancel (DELETE
 * {id}). The router has checked the write guard and the operator role for writes; every request, edit
 * and cancel is audited, whatever its outcome.
 */
final class ReservationRoutes {
    static final String PATH = Reservations.PATH;
    /** A reservation is a few hundred bytes of JSON; more is not one. */
    static final int MAX_BODY_BYTES = 8 * 1024;
    /** The 404 without a site model, here and in the stream's {@code reservations} event. */
    static final String NO_BOOK =
            "no reservations: no site model configured; set 'site-model: <path to site.yaml>' in " + "controller.yaml";

    private static final int AUDIT_DETAIL_CHARS = 300;
    private static final Pattern ID = Pattern.compile("rsv-[a-f0-9-]{1,64}");

    private final ObjectMapper mapper = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final Reservations reservations;
    private final ApiGate gate;
    private final Clock clock;

    ReservationRoutes(Reservations reservations, ApiGate gate, Clock clock) {
        this.reservations = reservations;
        this.gate = gate;
        this.clock = clock;
    }

    static boolean handles(String path) {
        return path.equals(PATH) || path.startsWith(PATH + '/');
    }

    FullHttpResponse route(FullHttpRequest request, String path, Principal who, Peer peer) {
        Optional<ReservationBook> found = reservations.book();
        if (found.isEmpty()) {
            return error(HttpResponseStatus.NOT_FOUND, NO_BOOK);
        }
        ReservationBook book = found.get();
        HttpMethod method = request.method();
        if (path.equals(PATH)) {
            if (method.equals(HttpMethod.GET)) {
                return json(HttpResponseStatus.OK, book.list());
            }
            if (method.equals(HttpMethod.POST)) {
                FullHttpResponse response = submit(book, request, who);
                audit(request, response, who, peer, "");
                return response;
            }
            return notAllowed("GET, POST");
        }
        String id = path.substring(PATH.length() + 1);
        if (!ID.matcher(id).matches()) {
            return error(HttpResponseStatus.NOT_FOUND, "no reservation '" + clip(id) + "'");
        }
        if (method.equals(HttpMethod.GET)) {
            Optional<ObjectNode> view = book.get(id);
            return view.isPresent()
                    ? json(HttpResponseStatus.OK, view.get())
                    : error(HttpResponseStatus.NOT_FOUND, "no reservation '" + id + "'");
        }
        if (method.equals(HttpMethod.DELETE)) {
            FullHttpResponse response;
            try {
                response = json(HttpResponseStatus.OK, book.cancel(id, who.name(), clock.instant()));
            } catch (ReservationException e) {
                response = refusal(e);
            }
            audit(request, response, who, peer, id);
            return response;
        }
        if (method.equals(HttpMethod.PATCH)) {
            FullHttpResponse response = edit(book, id, request, who);
            audit(request, response, who, peer, id);
            return response;
        }
        return notAllowed("GET, PATCH, DELETE");
    }

    /** The body as JSON, or the response that refuses it. */
    private Object body(FullHttpRequest request) {
        if (request.content().readableBytes() > MAX_BODY_BYTES) {
            return error(
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "body: at most " + MAX_BODY_BYTES + " bytes for a reservation, got "
                            + request.content().readableBytes());
        }
        JsonNode body;
        try {
            body = mapper.readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return error(HttpResponseStatus.BAD_REQUEST, "body: not valid JSON: " + e.getOriginalMessage());
        }
        if (body == null || body.isMissingNode()) {
            return error(HttpResponseStatus.BAD_REQUEST, "body: empty; send a JSON object");
        }
        return body;
    }

    private FullHttpResponse edit(ReservationBook book, String id, FullHttpRequest request, Principal who) {
        Object body = body(request);
        if (body instanceof FullHttpResponse refused) {
            return refused;
        }
        try {
            return json(HttpResponseStatus.OK, answer(book.edit(id, (JsonNode) body, who.name(), clock.instant())));
        } catch (ReservationException e) {
            return refusal(e);
        }
    }

    /** The reservation with the capacity checks made for it. */
    private ObjectNode answer(ReservationBook.Submitted submitted) {
        ObjectNode answer = submitted.reservation().deepCopy();
        ArrayNode checks = answer.putArray("checks");
        for (CapacityCheck check : submitted.checks()) {
            checks.add(check.toJson(mapper));
        }
        return answer;
    }

    private FullHttpResponse submit(ReservationBook book, FullHttpRequest request, Principal who) {
        Object body = body(request);
        if (body instanceof FullHttpResponse refused) {
            return refused;
        }
        Instant now = clock.instant();
        try {
            ReservationBook.Submitted submitted =
                    book.submit(ReservationRequest.fromJson((JsonNode) body, now), who.name(), now);
            ObjectNode answer = answer(submitted);
            FullHttpResponse response =
                    json(submitted.created() ? HttpResponseStatus.CREATED : HttpResponseStatus.OK, answer);
            response.headers()
                    .set(
                            HttpHeaderNames.LOCATION,
                            PATH + "/" + answer.path("id").asText());
            return response;
        } catch (ReservationException e) {
            return refusal(e);
        }
    }

    private FullHttpResponse refusal(ReservationException e) {
        ObjectNode node = mapper.createObjectNode();
        node.put("error", e.getMessage());
        ArrayNode problems = node.putArray("problems");
        e.problems().forEach(problems::add);
        if (e.arithmetic() != null) {
            node.set("arithmetic", e.arithmetic());
        }
        return json(HttpResponseStatus.valueOf(e.reason().status()), node);
    }

    /** One audit entry per request or cancel, whatever the outcome. */
    private void audit(FullHttpRequest request, FullHttpResponse response, Principal who, Peer peer, String id) {
        String detail = request.content().toString(StandardCharsets.UTF_8);
        if (detail.length() > AUDIT_DETAIL_CHARS) {
            detail = detail.substring(0, AUDIT_DETAIL_CHARS) + "…";
        }
        boolean cancel = request.method().equals(HttpMethod.DELETE);
        int status = response.status().code();
        String action = cancel
                ? "reservation-cancel"
                : request.method().equals(HttpMethod.PATCH) ? "reservation-edit" : "reservation-request";
        String target = id;
        String outcome;
        try {
            JsonNode answer = mapper.readTree(response.content().toString(StandardCharsets.UTF_8));
            if (answer.has("id")) {
                target = answer.path("id").asText();
                outcome = "reservation " + target + " " + answer.path("state").asText();
            } else {
                outcome = answer.path("error").asText();
            }
        } catch (JsonProcessingException e) {
            outcome = response.status().reasonPhrase();
        }
        gate.record(clock.instant(), who, peer, action, target, cancel ? "" : detail, status, outcome);
    }
}
