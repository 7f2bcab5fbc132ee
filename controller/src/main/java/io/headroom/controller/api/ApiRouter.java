package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.bytes;
import static io.headroom.controller.api.Responses.error;
import static io.headroom.controller.api.Responses.json;
import static io.headroom.controller.api.Responses.notAllowed;
import static io.headroom.controller.api.Responses.refusal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.api.auth.ApiRole;
import io.headroom.controller.api.auth.AuthResult;
import io.headroom.controller.api.auth.Principal;
import io.headroom.controller.api.auth.Refusal;
import io.headroom.controller.command.CommandRefusedException;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.command.CommandVerbs;
import io.headroom.controller.command.CommandView;
import io.headroom.controller.site.SiteResource;
import io.headroom.controller.store.DeviceView;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one request into one response. Called on the server's worker threads, never on an I/O
 * event loop, because serialising a large device list or a Prometheus scrape takes real CPU time.
 * Thread-safe.
 */
final class ApiRouter {

    static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
    static final int RECENT_COMMANDS = 50;
    private static final String DEVICES = "/api/v1/devices";
    private static final String COMMANDS = "/api/v1/commands";
    private static final String AUDIT = "/api/v1/audit";
    private static final String USERS = "/api/v1/users";
    private static final List<String> COMMAND_FIELDS = List.of("verb", "value", "instance", "ttlSeconds");

    private final Logger logger = LoggerFactory.getLogger(getClass());
    private final ApiContext context;
    private final ObjectMapper mapper = new ObjectMapper();
    private final WebPage page;
    private final Counter responses2xx;
    private final Counter responses4xx;
    private final Counter responses5xx;
    private final ApiGate gate;
    private final SessionRoutes sessions;
    private final AuditRoutes auditRoutes;
    private final OwnershipRoutes ownershipRoutes;
    private final EngineRoutes engineRoutes;
    private final GridEventRoutes gridEventRoutes;
    private final MarketRoutes marketRoutes;
    private final AlertRoutes alertRoutes;
    private final ReservationRoutes reservationRoutes;
    private final HistoryRoutes historyRoutes;
    private final StreamRoutes streamRoutes;
    private final DeviceListing listing;
    private final TimelineRoutes timelineRoutes;
    private final LastReplyRoutes lastReplyRoutes;

    ApiRouter(ApiContext context, MeterRegistry registry, ApiGate gate, DeviceEvents deviceEvents) throws IOException {
        this.context = context;
        this.streamRoutes = new StreamRoutes(deviceEvents, context.store(), gate);
        this.gate = gate;
        this.sessions = new SessionRoutes(gate.authenticator(), gate.audit(), context.clock());
        this.auditRoutes = new AuditRoutes(gate, context.clock());
        this.ownershipRoutes = new OwnershipRoutes(context.store(), gate, context.clock());
        this.engineRoutes = new EngineRoutes(context);
        this.gridEventRoutes = new GridEventRoutes(context.gridEvents(), gate, context.clock());
        this.marketRoutes = new MarketRoutes(context.market(), context.clock());
        this.alertRoutes = new AlertRoutes(context.alerts());
        this.reservationRoutes = new ReservationRoutes(context.reservations(), gate, context.clock());
        this.historyRoutes = new HistoryRoutes(context.store(), context.history(), context.clock());
        this.page = WebPage.load(context.site());
        this.listing = new DeviceListing(context, mapper);
        this.timelineRoutes = new TimelineRoutes(context.store());
        this.lastReplyRoutes = new LastReplyRoutes(context.commands(), auditRoutes, mapper);
        this.responses2xx = responses(registry, "2xx");
        this.responses4xx = responses(registry, "4xx");
        this.responses5xx = responses(registry, "5xx");
    }

    private static Counter responses(MeterRegistry registry, String status) {
        return Counter.builder("headroom.http.responses")
                .tag("status", status)
                .description("HTTP API responses by status class")
                .register(registry);
    }

    /**
     * The response to {@code request}, with content length and common headers set.
     *
     * <p>HEAD is answered as GET would be, status and headers (Content-Length included), without
     * the body (RFC 9110 §9.3.2): it is a read, so it never passes the write checks, and it needs
     * the same role as the GET. A HEAD of a resource without GET gets GET's 405 with Allow.
     */
    FullHttpResponse respond(FullHttpRequest request, Peer peer) {
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (head) {
            request.setMethod(HttpMethod.GET); // this request object is ours alone, for this answer only
        }
        FullHttpResponse response;
        if (request.decoderResult().isFailure()) {
            response = error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
        } else {
            try {
                response = route(request, peer);
            } catch (RuntimeException e) {
                logger.error("{} {} failed", request.method(), request.uri(), e);
                response = error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
            }
        }
        if (response instanceof StreamStart) {
            if (!head) {
                responses2xx.increment();
                return response;
            }
            // HEAD of the stream: its headers, no stream.
            response = Responses.bytes(HttpResponseStatus.OK, new byte[0], DeviceEvents.CONTENT_TYPE);
        }
        count(response);
        if (head) {
            FullHttpResponse headers = response.replace(Unpooled.EMPTY_BUFFER);
            response.release();
            return headers;
        }
        return response;
    }

    /** A 503 for a request the worker pool had no room for. */
    FullHttpResponse overloaded() {
        FullHttpResponse response = error(HttpResponseStatus.SERVICE_UNAVAILABLE, "server busy; retry shortly");
        response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        count(response);
        return response;
    }

    private void count(FullHttpResponse response) {
        int code = response.status().code();
        (code >= 500 ? responses5xx : code >= 400 ? responses4xx : responses2xx).increment();
        HttpUtil.setContentLength(response, response.content().readableBytes());
        response.headers().set("X-Content-Type-Options", "nosniff");
    }

    private FullHttpResponse route(FullHttpRequest request, Peer peer) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        HttpMethod method = request.method();
        // Public: the probe and the page (which shows its sign-in form when the API answers 401).
        if (path.equals("/health")) {
            return method.equals(HttpMethod.GET) ? health() : notAllowed("GET");
        }
        Optional<FullHttpResponse> served = page.serve(path, method);
        if (served.isPresent()) {
            return served.get();
        }
        if (!method.equals(HttpMethod.GET)) {
            Optional<Refusal> refused = gate.checkWrite(request, peer);
            if (refused.isPresent()) {
                return refusal(refused.get());
            }
        }
        if (path.equals(SessionRoutes.PATH)) {
            return sessions.route(request, peer);
        }
        AuthResult auth = sessions.authenticate(request, peer);
        if (auth instanceof AuthResult.Refused refused) {
            return refusal(refused.refusal());
        }
        Principal who = ((AuthResult.Authenticated) auth).principal();
        ApiRole needed = required(method, path);
        if (!who.role().includes(needed)) {
            return error(
                    HttpResponseStatus.FORBIDDEN,
                    "forbidden",
                    "user '" + who.name() + "' is " + who.role().spelling() + "; " + method + " " + path + " needs "
                            + needed.spelling());
        }
        if (path.equals("/metrics")) {
            return method.equals(HttpMethod.GET) ? metrics() : notAllowed("GET");
        }
        if (path.equals(AUDIT)) {
            return method.equals(HttpMethod.GET) ? auditRoutes.audit(uri.parameters()) : notAllowed("GET");
        }
        if (path.equals(USERS)) {
            return method.equals(HttpMethod.GET) ? auditRoutes.users() : notAllowed("GET");
        }
        if (path.equals(DEVICES)) {
            return method.equals(HttpMethod.GET) ? listing.list(uri.parameters()) : notAllowed("GET");
        }
        if (StreamRoutes.handles(path)) {
            return streamRoutes.route(request, path);
        }
        if (path.startsWith(DEVICES + '/')) {
            String[] rest = path.substring(DEVICES.length() + 1).split("/", -1);
            if (rest.length == 1 && !rest[0].isEmpty()) {
                return method.equals(HttpMethod.GET) ? device(rest[0]) : notAllowed("GET");
            }
            if (rest.length == 2 && !rest[0].isEmpty() && rest[1].equals(HistoryRoutes.SEGMENT)) {
                return method.equals(HttpMethod.GET)
                        ? historyRoutes.history(rest[0], request.uri())
                        : notAllowed("GET");
            }
            if (rest.length == 2 && !rest[0].isEmpty() && rest[1].equals(TimelineRoutes.SEGMENT)) {
                return method.equals(HttpMethod.GET) ? timelineRoutes.timeline(rest[0]) : notAllowed("GET");
            }
            if (rest.length == 2 && !rest[0].isEmpty() && rest[1].equals(OwnershipRoutes.SEGMENT)) {
                return method.equals(HttpMethod.POST)
                        ? ownershipRoutes.release(rest[0], request, who, peer)
                        : notAllowed("POST");
            }
            if (rest.length == 2 && !rest[0].isEmpty() && rest[1].equals(LastReplyRoutes.SEGMENT)) {
                return lastReplyRoutes.route(rest[0], request, uri.parameters(), who, peer);
            }
            if (rest.length == 2 && !rest[0].isEmpty() && rest[1].equals("commands")) {
                return method.equals(HttpMethod.POST) ? audited(rest[0], request, who, peer) : notAllowed("POST");
            }
        }
        if (path.equals(SiteResource.PATH + "/dry-run")) {
            return method.equals(HttpMethod.POST) ? engineRoutes.limitDryRun(request) : notAllowed("POST");
        }
        if (path.equals(SiteResource.PATH)) {
            return method.equals(HttpMethod.GET)
                    ? SiteTrees.get(context.siteTree(), mapper, uri.parameters())
                    : notAllowed("GET");
        }
        if (path.equals(EngineRoutes.DECISIONS)) {
            return method.equals(HttpMethod.GET) ? engineRoutes.decisions(uri.parameters()) : notAllowed("GET");
        }
        if (path.equals(AlertRoutes.PATH)) {
            return method.equals(HttpMethod.GET) ? alertRoutes.alerts() : notAllowed("GET");
        }
        if (GridEventRoutes.handles(path)) {
            return gridEventRoutes.route(request, path, who, peer);
        }
        if (MarketRoutes.handles(path)) {
            return marketRoutes.route(method, path, uri.parameters());
        }
        if (ReservationRoutes.handles(path)) {
            return reservationRoutes.route(request, path, who, peer);
        }
        if (path.equals(EngineRoutes.COMMAND_DRY_RUN)) {
            return method.equals(HttpMethod.POST) ? engineRoutes.commandDryRun(request) : notAllowed("POST");
        }
        if (path.equals(COMMANDS)) {
            return method.equals(HttpMethod.GET) ? commandsOf(uri.parameters()) : notAllowed("GET");
        }
        if (path.startsWith(COMMANDS + '/')) {
            String id = path.substring(COMMANDS.length() + 1);
            if (!id.isEmpty() && id.indexOf('/') < 0) {
                return method.equals(HttpMethod.GET) ? command(id) : notAllowed("GET");
            }
        }
        return error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path);
    }

    /**
     * GET needs viewer; the audit log, a device's raw last reply and every write operator; the user list and moving a device's
     * ownership admin.
     */
    private static ApiRole required(HttpMethod method, String path) {
        if (path.equals(USERS) || (path.startsWith(DEVICES + '/') && path.endsWith('/' + OwnershipRoutes.SEGMENT))) {
            return ApiRole.ADMIN;
        }
        // A device's raw reply carries pool URLs and worker names: operators only, reading it too.
        if (path.equals(AUDIT)
                || !method.equals(HttpMethod.GET)
                || (path.startsWith(DEVICES + '/') && path.endsWith('/' + LastReplyRoutes.SEGMENT))) {
            return ApiRole.OPERATOR;
        }
        return ApiRole.VIEWER;
    }

    /**
     * Audits write-ahead: a request that parses gets a {@code command-intent} entry on disk before
     * anything is sent, and when that entry cannot be written the command is refused with 503 and
     * nothing is sent, so no command ever goes out unaudited. After the dispatch the outcome entry
     * ({@code command}: the command id, or why it was refused) is written; if that fails the command
     * is already out and its intent on record, so the answer still tells the client what happened.
     * A request refused before dispatch (400) gets only the outcome entry: nothing was sent.
     */
    private FullHttpResponse audited(String deviceId, FullHttpRequest request, Principal who, Peer peer) {
        ParsedCommand parsed = parseCommand(request);
        if (parsed.refusal() != null) {
            auditRoutes.recordCommand(deviceId, request, parsed.refusal(), who, peer);
            return parsed.refusal();
        }
        CommandRequest command = parsed.command();
        String problem = auditRoutes.recordIntent(deviceId, command.describe(), who, peer);
        if (problem != null) {
            return error(
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "the audit log cannot be written, so the command was not sent: " + problem);
        }
        FullHttpResponse response = dispatch(deviceId, command);
        auditRoutes.recordOutcome(deviceId, request, response, who, peer);
        return response;
    }

    /** A command request that parsed: what {@link CommandService#send} takes. */
    private record CommandRequest(Verb verb, Double value, String instance, Duration ttl) {
        /** For the audit log, e.g. {@code set-power-target 3000 ttl=30000ms}. */
        String describe() {
            StringBuilder text = new StringBuilder(CommandVerbs.name(verb));
            if (value != null) {
                text.append(' ')
                        .append(value % 1 == 0 && Math.abs(value) < 1e15 ? Long.toString(value.longValue()) : value);
            }
            if (!instance.isEmpty()) {
                text.append(" instance=").append(instance);
            }
            return text.append(" ttl=").append(ttl.toMillis()).append("ms").toString();
        }
    }

    /** Either a command or the 400 that refuses the request. */
    private record ParsedCommand(CommandRequest command, FullHttpResponse refusal) {
        static ParsedCommand refused(FullHttpResponse refusal) {
            return new ParsedCommand(null, refusal);
        }
    }

    private FullHttpResponse health() {
        boolean up = context.transportRunning().getAsBoolean();
        ObjectNode node = mapper.createObjectNode();
        node.put("status", up ? "UP" : "DEGRADED");
        node.put("site", context.site());
        node.put("agentsConnected", context.agentsConnected().getAsInt());
        node.put("devices", context.store().size());
        node.put(
                "uptimeSeconds",
                Duration.between(context.startedAt(), context.clock().instant()).toSeconds());
        return json(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, node);
    }

    private FullHttpResponse metrics() {
        byte[] text = context.registry().scrape().getBytes(StandardCharsets.UTF_8);
        return bytes(HttpResponseStatus.OK, text, PROMETHEUS_CONTENT_TYPE);
    }

    private FullHttpResponse device(String id) {
        Optional<DeviceView> device = context.store().device(id);
        if (device.isEmpty()) {
            return error(HttpResponseStatus.NOT_FOUND, "no device '" + id + "'");
        }
        return json(
                HttpResponseStatus.OK,
                JsonViews.deviceDetail(
                        mapper,
                        device.get(),
                        context.triage().now(),
                        context.market(),
                        context.clock().instant()));
    }

    private FullHttpResponse command(String id) {
        Optional<CommandView> command = context.commands().command(id);
        return command.isPresent()
                ? json(HttpResponseStatus.OK, JsonViews.command(mapper, command.get()))
                : error(HttpResponseStatus.NOT_FOUND, "no command '" + id + "'");
    }

    private FullHttpResponse commandsOf(Map<String, List<String>> parameters) {
        List<String> device = parameters.get("device");
        if (device == null || device.size() != 1 || device.get(0).isEmpty()) {
            return error(HttpResponseStatus.BAD_REQUEST, "query parameter 'device' is required, once");
        }
        return json(
                HttpResponseStatus.OK,
                JsonViews.commands(mapper, context.commands().recentForDevice(device.get(0), RECENT_COMMANDS)));
    }

    private ParsedCommand parseCommand(FullHttpRequest request) {
        JsonNode body;
        try {
            body = mapper.readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return ParsedCommand.refused(
                    error(HttpResponseStatus.BAD_REQUEST, "body: not valid JSON: " + e.getOriginalMessage()));
        }
        if (body == null || !body.isObject()) {
            return ParsedCommand.refused(
                    error(HttpResponseStatus.BAD_REQUEST, "body: must be a JSON object like {\"verb\":\"sleep\"}"));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!COMMAND_FIELDS.contains(name)) {
                return ParsedCommand.refused(error(
                        HttpResponseStatus.BAD_REQUEST,
                        "unknown field '" + name + "'; known fields: " + String.join(", ", COMMAND_FIELDS)));
            }
        }
        JsonNode verbNode = body.get("verb");
        if (verbNode == null || verbNode.isNull()) {
            return ParsedCommand.refused(
                    error(HttpResponseStatus.BAD_REQUEST, "verb: required; one of " + CommandVerbs.NAMES));
        }
        if (!verbNode.isTextual()) {
            return ParsedCommand.refused(
                    error(HttpResponseStatus.BAD_REQUEST, "verb: must be a string; one of " + CommandVerbs.NAMES));
        }
        Verb verb;
        try {
            verb = CommandVerbs.parse(verbNode.asText());
        } catch (IllegalArgumentException e) {
            return ParsedCommand.refused(error(HttpResponseStatus.BAD_REQUEST, "verb: " + e.getMessage()));
        }
        // Whether the verb takes a value or an instance depends on the device's capabilities: the
        // command service decides (422), the API only checks the JSON types.
        JsonNode valueNode = body.get("value");
        Double value = null;
        if (valueNode != null && !valueNode.isNull()) {
            if (!valueNode.isNumber()) {
                return ParsedCommand.refused(error(HttpResponseStatus.BAD_REQUEST, "value: must be a number"));
            }
            value = valueNode.doubleValue();
            if (!Double.isFinite(value)) {
                // 1e400 parses to Infinity: out of any range, but say so rather than "needs a value".
                return ParsedCommand.refused(error(
                        HttpResponseStatus.BAD_REQUEST, "value: must be a finite number; this one overflows a double"));
            }
        }
        JsonNode instanceNode = body.get("instance");
        String instance = "";
        if (instanceNode != null && !instanceNode.isNull()) {
            if (!instanceNode.isTextual()) {
                return ParsedCommand.refused(
                        error(HttpResponseStatus.BAD_REQUEST, "instance: must be a string, e.g. \"7\""));
            }
            instance = instanceNode.asText();
        }
        Duration ttl = DEFAULT_TTL;
        JsonNode ttlNode = body.get("ttlSeconds");
        if (ttlNode != null && !ttlNode.isNull()) {
            if (!ttlNode.isNumber() || !Double.isFinite(ttlNode.doubleValue())) {
                return ParsedCommand.refused(
                        error(HttpResponseStatus.BAD_REQUEST, "ttlSeconds: must be a number of seconds"));
            }
            double seconds = ttlNode.doubleValue();
            if (seconds < CommandService.MIN_TTL.toSeconds() || seconds > CommandService.MAX_TTL.toSeconds()) {
                return ParsedCommand.refused(error(
                        HttpResponseStatus.BAD_REQUEST,
                        "ttlSeconds: " + ttlNode.asText() + " is outside " + CommandService.MIN_TTL.toSeconds() + ".."
                                + CommandService.MAX_TTL.toSeconds()));
            }
            ttl = Duration.ofMillis(Math.round(seconds * 1000));
        }
        return new ParsedCommand(new CommandRequest(verb, value, instance, ttl), null);
    }

    private FullHttpResponse dispatch(String deviceId, CommandRequest command) {
        try {
            CommandView view = context.commands()
                    .send(deviceId, command.verb(), command.value(), command.instance(), command.ttl());
            return json(HttpResponseStatus.ACCEPTED, JsonViews.command(mapper, view));
        } catch (CommandRefusedException e) {
            switch (e.reason()) {
                case UNKNOWN_DEVICE:
                    return error(HttpResponseStatus.NOT_FOUND, e.getMessage());
                case DEVICE_UNAVAILABLE:
                    return error(HttpResponseStatus.CONFLICT, e.getMessage());
                case INVALID:
                    return error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
                default:
                    // Outside the device's capabilities: well-formed, but not something it can do.
                    ObjectNode node = mapper.createObjectNode();
                    node.put("error", e.getMessage());
                    node.put("reason", e.reason().code());
                    return json(HttpResponseStatus.UNPROCESSABLE_ENTITY, node);
            }
        }
    }
}
