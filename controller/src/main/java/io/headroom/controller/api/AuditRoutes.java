package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.api.auth.ApiUser;
import io.headroom.controller.api.auth.AuditEntry;
import io.headroom.controller.api.auth.Principal;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit side of the API: recording each command request, {@code GET /api/v1/audit} (operator)
 * and {@code GET /api/v1/users} (admin). Thread-safe.
 */
final class AuditRoutes {
    static final int DEFAULT_AUDIT_LIMIT = 100;
    static final int MAX_AUDIT_LIMIT = 1000;
    private static final int AUDIT_DETAIL_CHARS = 300;

    private final Logger logger = LoggerFactory.getLogger(getClass());
    private final ObjectMapper mapper = Responses.MAPPER;
    private final ApiGate gate;
    private final Clock clock;

    AuditRoutes(ApiGate gate, Clock clock) {
        this.gate = gate;
        this.clock = clock;
    }

    /** The {@code action} of the entry written before a command is dispatched. */
    static final String COMMAND_INTENT = "command-intent";

    /**
     * Writes the {@code command-intent} entry of a command about to be sent (status 0: nothing has
     * been answered yet).
     *
     * @return {@code null} once the entry is on disk, else what went wrong; the caller then must
     *     not send the command
     */
    String recordIntent(String deviceId, String command, Principal who, Peer peer) {
        try {
            gate.record(clock.instant(), who, peer, COMMAND_INTENT, deviceId, command, 0, "about to send");
            return null;
        } catch (UncheckedIOException e) {
            logger.error(
                    "refusing {} from {} for device '{}': its audit entry cannot be written",
                    command,
                    who.name(),
                    deviceId,
                    e);
            return e.getMessage();
        }
    }

    /**
     * Writes the outcome entry of a command whose intent is on record and which was dispatched (or
     * refused by the command service). A failure is logged, not thrown: the command is already out,
     * so the client must still hear what became of it.
     */
    void recordOutcome(String deviceId, FullHttpRequest request, FullHttpResponse response, Principal who, Peer peer) {
        try {
            recordCommand(deviceId, request, response, who, peer);
        } catch (UncheckedIOException e) {
            logger.error(
                    "the outcome ({}) of {}'s command for device '{}' cannot be written to the audit log; its"
                            + " command-intent entry is there",
                    response.status(),
                    who.name(),
                    deviceId,
                    e);
        }
    }

    /**
     * Writes the audit entry of one command request, whatever its outcome.
     *
     * @throws UncheckedIOException when the audit log cannot be written
     */
    void recordCommand(String deviceId, FullHttpRequest request, FullHttpResponse response, Principal who, Peer peer) {
        String detail = request.content().toString(StandardCharsets.UTF_8);
        if (detail.length() > AUDIT_DETAIL_CHARS) {
            detail = detail.substring(0, AUDIT_DETAIL_CHARS) + "…";
        }
        String outcome;
        try {
            JsonNode answer = mapper.readTree(response.content().toString(StandardCharsets.UTF_8));
            outcome = answer.has("commandId")
                    ? "command " + answer.path("commandId").asText() + " "
                            + answer.path("state").asText()
                    : answer.path("error").asText();
        } catch (JsonProcessingException e) {
            outcome = response.status().reasonPhrase();
        }
        gate.record(
                clock.instant(),
                who,
                peer,
                "command",
                deviceId,
                detail,
                response.status().code(),
                outcome);
    }

    FullHttpResponse audit(Map<String, List<String>> parameters) {
        int limit = DEFAULT_AUDIT_LIMIT;
        List<String> given = parameters.get("limit");
        if (given != null) {
            try {
                limit = given.size() == 1 ? Integer.parseInt(given.get(0)) : -1;
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_AUDIT_LIMIT) {
                return error(HttpResponseStatus.BAD_REQUEST, "limit: once, a whole number in 1.." + MAX_AUDIT_LIMIT);
            }
        }
        List<AuditEntry> entries;
        try {
            entries = gate.audit().newest(limit);
        } catch (IOException e) {
            logger.error("cannot read the audit log {}", gate.audit().file(), e);
            return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "audit log unreadable; see the controller's log");
        }
        ArrayNode array = mapper.createArrayNode();
        for (AuditEntry entry : entries) {
            array.add(JsonViews.audit(mapper, entry));
        }
        return json(HttpResponseStatus.OK, array);
    }

    FullHttpResponse users() {
        ArrayNode array = mapper.createArrayNode();
        for (ApiUser user : gate.users().all()) {
            ObjectNode node = array.addObject();
            node.put("name", user.name());
            node.put("role", user.role().spelling());
        }
        return json(HttpResponseStatus.OK, array);
    }
}
