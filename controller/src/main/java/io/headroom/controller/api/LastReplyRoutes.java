package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.clip;
import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.api.auth.Principal;
import io.headroom.controller.command.CommandRefusedException;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.command.CommandState;
import io.headroom.controller.command.CommandVerbs;
import io.headroom.controller.command.CommandView;
import io.headroom.controller.command.RawReplyView;
import io.headroom.protocol.wire.Verb;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/devices/{id}/last-reply}: what the device itself last answered its agent's poll,
 * for a technician's bug report. {@code POST} (operator, body empty or {@code {}}) sends a
 * {@code read-last-reply} command, audited write-ahead like any command, and answers 202 with it;
 * {@code GET ?command=ID} (operator too: replies carry pool URLs and worker names) answers where
 * that command stands and, once the agent answered, the raw reply as JSON strings, with what went
 * wrong in words.
 */
final class LastReplyRoutes {

    static final String SEGMENT = "last-reply";

    /** Long enough for an agent behind a slow link, short enough that an old agent's silence shows soon. */
    static final Duration TTL = Duration.ofSeconds(10);

    private final CommandService commands;
    private final AuditRoutes audit;
    private final ObjectMapper mapper;

    LastReplyRoutes(CommandService commands, AuditRoutes audit, ObjectMapper mapper) {
        this.commands = commands;
        this.audit = audit;
        this.mapper = mapper;
    }

    FullHttpResponse route(
            String deviceId, FullHttpRequest request, Map<String, List<String>> parameters, Principal who, Peer peer) {
        if (request.method().equals(HttpMethod.POST)) {
            return fetch(deviceId, request, who, peer);
        }
        if (request.method().equals(HttpMethod.GET)) {
            return read(deviceId, parameters);
        }
        return Responses.notAllowed("GET, POST");
    }

    private FullHttpResponse fetch(String deviceId, FullHttpRequest request, Principal who, Peer peer) {
        String body = request.content().toString(StandardCharsets.UTF_8).strip();
        if (!body.isEmpty() && !body.replaceAll("\\s", "").equals("{}")) {
            FullHttpResponse refused = error(
                    HttpResponseStatus.BAD_REQUEST,
                    "fetching the last reply takes no fields: send an empty body or {}, got " + clip(body));
            audit.recordOutcome(deviceId, request, refused, who, peer);
            return refused;
        }
        String describe = CommandVerbs.name(Verb.VERB_READ_LAST_REPLY) + " ttl=" + TTL.toMillis() + "ms";
        String problem = audit.recordIntent(deviceId, describe, who, peer);
        if (problem != null) {
            return error(
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "the audit log cannot be written, so nothing was asked of the agent: " + problem);
        }
        FullHttpResponse response;
        try {
            CommandView sent = commands.send(deviceId, Verb.VERB_READ_LAST_REPLY, null, "", TTL);
            response = json(HttpResponseStatus.ACCEPTED, JsonViews.command(mapper, sent));
        } catch (CommandRefusedException e) {
            response = switch (e.reason()) {
                case UNKNOWN_DEVICE -> error(HttpResponseStatus.NOT_FOUND, e.getMessage());
                case DEVICE_UNAVAILABLE -> error(HttpResponseStatus.CONFLICT, e.getMessage());
                default -> error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
            };
        }
        audit.recordOutcome(deviceId, request, response, who, peer);
        return response;
    }

    private FullHttpResponse read(String deviceId, Map<String, List<String>> parameters) {
        List<String> ids = parameters.get("command");
        if (ids == null || ids.size() != 1 || ids.get(0).isEmpty()) {
            return error(
                    HttpResponseStatus.BAD_REQUEST,
                    "query parameter 'command' is required, once: the id POST " + SEGMENT + " answered");
        }
        Optional<CommandView> found = commands.command(ids.get(0));
        if (found.isEmpty()
                || !found.get().deviceId().equals(deviceId)
                || found.get().verb() != Verb.VERB_READ_LAST_REPLY) {
            return error(
                    HttpResponseStatus.NOT_FOUND,
                    "no read-last-reply command '" + clip(ids.get(0)) + "' for device '" + clip(deviceId) + "'");
        }
        CommandView command = found.get();
        Optional<RawReplyView> raw = commands.rawReply(command.commandId());
        ObjectNode node = mapper.createObjectNode();
        node.set("command", JsonViews.command(mapper, command));
        if (raw.isPresent()) {
            ObjectNode reply = node.putObject("lastReply");
            reply.put("request", raw.get().request());
            reply.put("readAt", raw.get().readAt().toString());
            reply.put("truncated", raw.get().truncated());
            reply.put("reply", raw.get().reply());
        } else {
            node.putNull("lastReply");
        }
        node.put("explanation", explanation(command, raw.isPresent()));
        return json(HttpResponseStatus.OK, node);
    }

    /** Where the fetch stands, in words; empty once the reply is here. */
    static String explanation(CommandView command, boolean replyHere) {
        CommandState state = command.state();
        if (replyHere) {
            return "";
        }
        return switch (state) {
            case DISPATCHED, ACCEPTED -> "asked the agent " + command.agentId() + "; waiting for its answer";
            case APPLIED -> "the agent answered, but its reply is no longer kept here; fetch it again";
            case REJECTED ->
                command.reason().equals("unsupported")
                        ? "this agent's version cannot send its last reply (" + command.message() + ")"
                        : "the agent refused: " + command.message();
            case FAILED ->
                command.reason().equals("no-reply-yet")
                        ? "the agent has no reply yet: " + command.message()
                        : "the agent could not send its last reply: " + command.message();
            case EXPIRED ->
                "no answer from the agent " + command.agentId() + " within " + TTL.toSeconds()
                        + " s: an agent older than this version does not know the request and drops it, so this"
                        + " agent's version cannot send its last reply, or the agent lost its connection";
        };
    }
}
