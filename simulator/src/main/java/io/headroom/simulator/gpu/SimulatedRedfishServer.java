package io.headroom.simulator.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated Redfish service over HTTPS on a loopback port, with a self-signed certificate made at
 * the first start in this JVM ({@link #certificatePem()} is what a client trusts), answering from a
 * {@link RedfishService} advanced to the clock's time before each answer: the BMC of a simulated GPU
 * server ({@link #start(GpuServerModel, Clock, String, String, String)}), or any other service (a rack
 * PDU, a cooling unit: {@link #start(RedfishService, Clock, String, String)}) on the same sessions,
 * hostile-input handling and quirks.
 *
 * <ul>
 *   <li>Sessions: {@code POST /redfish/v1/SessionService/Sessions} with {@code UserName}/{@code Password}
 *       gives 201, a random {@code X-Auth-Token} and a {@code Location}; {@code DELETE} of that location
 *       ends it. HTTP basic auth works too. Anything else but the service root without valid
 *       credentials is 401 with a Redfish error body.</li>
 *   <li>{@code PATCH} and {@code POST} (an action) go to the service ({@link GpuRedfishService}: the
 *       power limit); their body must be a JSON object.</li>
 *   <li>Hostile input: request bodies over {@value #MAX_REQUEST_BYTES} bytes are 413, garbage JSON is 400
 *       {@code MalformedJSON}, unknown paths 404; each request runs on a pool thread, so a slow client
 *       holds one thread and never the others.</li>
 *   <li>Quirks for a client's error handling: a response delay (a slow or hung BMC), garbage bodies,
 *       oversize bodies on GETs, and paths that answer 404.</li>
 * </ul>
 */
public final class SimulatedRedfishServer implements AutoCloseable {

    /** Largest request body accepted. */
    public static final int MAX_REQUEST_BYTES = 16 * 1024;
    /** Size of an oversize answer: twice the agent's 1 MiB cap. */
    static final int OVERSIZE_BYTES = 2 << 20;

    private static final Logger logger = LoggerFactory.getLogger(SimulatedRedfishServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION_SERVICE = GpuRedfishTree.ROOT + "/SessionService";
    private static final String SESSIONS = SESSION_SERVICE + "/Sessions";

    private final @Nullable GpuServerModel model;
    private final RedfishService service;
    private final Clock clock;
    private final String chassis;
    private final RedfishSessions sessions;
    private final SelfSignedCertificate certificate;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger patches = new AtomicInteger();
    private final AtomicInteger posts = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean garbage;
    private volatile boolean oversize;
    private volatile java.util.Set<String> missing = java.util.Set.of();

    private SimulatedRedfishServer(
            RedfishService service,
            @Nullable GpuServerModel model,
            Clock clock,
            String chassis,
            String username,
            String password)
            throws IOException {
        this.service = Objects.requireNonNull(service, "service");
        this.model = model;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.chassis = chassis;
        this.sessions = new RedfishSessions(username, password);
        this.certificate = SelfSignedCertificate.forThisJvm();
        this.executor = Executors.newFixedThreadPool(16, task -> {
            Thread thread = new Thread(task, "redfish-sim");
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.context()));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Starts a BMC on a free loopback port.
     *
     * @param chassis the chassis id of the resource paths ({@code /redfish/v1/Chassis/<id>})
     * @param username the one account's name
     * @param password its password
     */
    public static SimulatedRedfishServer start(
            GpuServerModel model, Clock clock, String chassis, String username, String password) throws IOException {
        Objects.requireNonNull(model, "model");
        SimulatedRedfishServer bmc = new SimulatedRedfishServer(
                new GpuRedfishService(model, chassis), model, clock, chassis, username, password);
        bmc.server.start();
        return bmc;
    }

    /**
     * Starts any Redfish service on a free loopback port (a simulated rack PDU or cooling unit).
     *
     * @param username the one account's name
     * @param password its password
     */
    public static SimulatedRedfishServer start(RedfishService service, Clock clock, String username, String password)
            throws IOException {
        SimulatedRedfishServer server = new SimulatedRedfishServer(service, null, clock, "", username, password);
        server.server.start();
        return server;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The chassis id in the resource paths; empty for a service started without a GPU model. */
    public String chassis() {
        return chassis;
    }

    /** The BMC's certificate as PEM: the CA file a client must be given. */
    public String certificatePem() {
        return certificate.pem();
    }

    /**
     * The GPU server's model.
     *
     * @throws IllegalStateException for a service started without one
     */
    public GpuServerModel model() {
        if (model == null) {
            throw new IllegalStateException("this simulated Redfish service is not a GPU server");
        }
        return model;
    }

    /** Requests received so far (any path, any outcome). */
    public int requests() {
        return requests.get();
    }

    /** PATCH requests received so far, accepted or not. */
    public int patches() {
        return patches.get();
    }

    /** POST requests received so far (actions; logins not counted), accepted or not. */
    public int posts() {
        return posts.get();
    }

    /** Sessions created so far. */
    public int sessionsCreated() {
        return sessions.created();
    }

    /** Ids of the live sessions. */
    public List<String> liveSessions() {
        return sessions.ids();
    }

    /** Ids of the sessions ended by a client's DELETE, in order. */
    public List<String> deletedSessions() {
        return sessions.deleted();
    }

    /** Forgets every session, as a BMC's session timeout does: the next request with a token is 401. */
    public void expireSessions() {
        sessions.expireAll();
    }

    /** Every answer waits this long first (zero: none); longer than a client's timeout is a hung BMC. */
    public void setResponseDelay(Duration delay) {
        this.delay = Objects.requireNonNull(delay, "delay");
    }

    /** GETs are answered 200 with a body that is not JSON. */
    public void setGarbage(boolean garbage) {
        this.garbage = garbage;
    }

    /** GETs are answered 200 with a 2 MiB body. */
    public void setOversize(boolean oversize) {
        this.oversize = oversize;
    }

    /** These paths (e.g. {@code /redfish/v1/Chassis/HGX/Sensors}) answer 404, as on a BMC without them. */
    public void setMissing(java.util.Set<String> paths) {
        this.missing = java.util.Set.copyOf(paths);
    }

    /** Turns every quirk off. */
    public void clearQuirks() {
        delay = Duration.ZERO;
        garbage = false;
        oversize = false;
        missing = java.util.Set.of();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            Duration wait = delay;
            if (!wait.isZero() && closing.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return; // closing: drop the connection
            }
            byte[] body = readBounded(exchange.getRequestBody());
            if (body == null) {
                // The rest of the body is not read: the connection cannot carry another request.
                exchange.getResponseHeaders().set("Connection", "close");
                error(exchange, 413, "Base.1.8.GeneralError", "request body over " + MAX_REQUEST_BYTES + " bytes");
                return;
            }
            route(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // A client that went away or sent nonsense costs its own request only.
            logger.debug("simulated BMC: request failed: {}", e.toString());
        }
    }

    private void route(HttpExchange exchange, byte[] body) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.equals(GpuRedfishTree.ROOT) && method.equals("GET")) {
            get(exchange, path);
            return;
        }
        if (path.equals(SESSIONS) && method.equals("POST")) {
            login(exchange, body);
            return;
        }
        Optional<String> session = authorised(exchange);
        if (session.isEmpty()) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"Redfish\"");
            error(exchange, 401, "Base.1.8.InsufficientPrivilege", "valid X-Auth-Token or basic credentials needed");
            return;
        }
        switch (method) {
            case "GET" -> get(exchange, path);
            case "DELETE" -> delete(exchange, path);
            case "PATCH", "POST" -> write(exchange, method, path, body);
            default -> error(exchange, 405, "Base.1.8.OperationNotAllowed", method + " is not allowed on " + path);
        }
    }

    private void get(HttpExchange exchange, String path) throws IOException {
        if (garbage) {
            send(exchange, 200, "<html><body>503 Service Temporarily Unavailable".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (oversize) {
            byte[] big = new byte[OVERSIZE_BYTES];
            Arrays.fill(big, (byte) ' ');
            big[0] = '{';
            big[big.length - 1] = '}';
            send(exchange, 200, big);
            return;
        }
        service.advanceTo(clock.instant());
        if (missing.contains(path)) {
            error(exchange, 404, "Base.1.8.ResourceMissingAtURI", "no resource at " + path);
            return;
        }
        ObjectNode resource = path.equals(SESSIONS) ? sessionCollection() : serviceResource(path);
        if (resource == null
                && path.startsWith(SESSIONS + "/")
                && sessions.exists(path.substring(SESSIONS.length() + 1))) {
            resource = sessionResource(path.substring(SESSIONS.length() + 1));
        }
        if (resource == null) {
            error(exchange, 404, "Base.1.8.ResourceMissingAtURI", "no resource at " + path);
            return;
        }
        send(exchange, 200, JSON.writeValueAsBytes(resource));
    }

    private void login(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode request = parse(body);
        if (request == null
                || !request.path("UserName").isTextual()
                || !request.path("Password").isTextual()) {
            error(exchange, 400, "Base.1.8.MalformedJSON", "expected {\"UserName\": …, \"Password\": …}");
            return;
        }
        if (!sessions.valid(
                request.get("UserName").asText(), request.get("Password").asText())) {
            error(exchange, 401, "Base.1.8.NoValidSession", "wrong user name or password");
            return;
        }
        String[] created = sessions.create();
        String location = SESSIONS + "/" + created[0];
        exchange.getResponseHeaders().add("X-Auth-Token", created[1]);
        exchange.getResponseHeaders().add("Location", location);
        send(exchange, 201, JSON.writeValueAsBytes(sessionResource(created[0])));
    }

    private void delete(HttpExchange exchange, String path) throws IOException {
        if (path.startsWith(SESSIONS + "/") && sessions.delete(path.substring(SESSIONS.length() + 1))) {
            send(exchange, 204, new byte[0]);
            return;
        }
        error(exchange, 404, "Base.1.8.ResourceMissingAtURI", "no session at " + path);
    }

    private @Nullable ObjectNode serviceResource(String path) {
        if (path.equals(SESSION_SERVICE)) {
            ObjectNode node = JSON.createObjectNode();
            node.put("@odata.type", "#SessionService.v1_1_8.SessionService");
            node.put("@odata.id", SESSION_SERVICE);
            node.putObject("Sessions").put("@odata.id", SESSIONS);
            return node;
        }
        return service.get(path);
    }

    private void write(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
        (method.equals("PATCH") ? patches : posts).incrementAndGet();
        JsonNode request = parse(body);
        if (request == null) {
            error(exchange, 400, "Base.1.8.MalformedJSON", "the request body is not a JSON object");
            return;
        }
        service.advanceTo(clock.instant());
        RedfishService.Write answer = service.write(method, path, request);
        ObjectNode resource = answer.body();
        if (answer.status() >= 300) {
            error(exchange, answer.status(), answer.messageId(), answer.message());
        } else if (resource == null) {
            send(exchange, 204, new byte[0]);
        } else {
            send(exchange, answer.status(), JSON.writeValueAsBytes(resource));
        }
    }

    private Optional<String> authorised(HttpExchange exchange) {
        String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
        if (token != null) {
            return sessions.session(token);
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.startsWith("Basic ")) {
            try {
                String pair = new String(
                        Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon > 0 && sessions.valid(pair.substring(0, colon), pair.substring(colon + 1))) {
                    return Optional.of("basic");
                }
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private ObjectNode sessionCollection() {
        ObjectNode node = JSON.createObjectNode();
        node.put("@odata.type", "#SessionCollection.SessionCollection");
        node.put("@odata.id", SESSIONS);
        List<String> ids = sessions.ids();
        node.put("Members@odata.count", ids.size());
        ids.forEach(id -> node.withArray("Members").addObject().put("@odata.id", SESSIONS + "/" + id));
        return node;
    }

    private static ObjectNode sessionResource(String id) {
        ObjectNode node = JSON.createObjectNode();
        node.put("@odata.type", "#Session.v1_3_0.Session");
        node.put("@odata.id", SESSIONS + "/" + id);
        node.put("Id", id);
        node.put("Name", "User Session");
        return node;
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The body, or null when it is over the limit (nothing more is read). */
    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        return body.length > MAX_REQUEST_BYTES ? null : body;
    }

    private static void error(HttpExchange exchange, int status, String messageId, String message) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", messageId);
        error.put("message", message);
        ObjectNode info = error.putArray("@Message.ExtendedInfo").addObject();
        info.put("MessageId", messageId);
        info.put("Message", message);
        send(exchange, status, JSON.writeValueAsBytes(root));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("OData-Version", "4.0");
        if (status == 204) {
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops listening and ends every request in progress. Idempotent. */
    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
