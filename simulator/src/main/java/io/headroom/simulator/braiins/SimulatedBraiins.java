package io.headroom.simulator.braiins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.headroom.protocol.Mode;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSnapshot;
import io.headroom.simulator.miner.MinerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated miner on Braiins OS: the REST API subset the agent's {@code braiins} driver uses ("Braiins OS
 * Public REST API" v1.3.0, reference/DEVICES.md §4.4) over plain HTTP on a loopback port (port 0: each test
 * gets a free one), answering from one {@link MinerModel} advanced to the clock's time before each answer.
 *
 * <ul>
 *   <li>{@code POST /api/v1/auth/login {"username","password"}} answers {@code {"token","timeout_s"}}; every
 *       other path needs that token as the {@code Authorization} header (no scheme, as the firmware takes it).
 *       A token lapses {@code timeout_s} of clock time after its last use (each request renews it). Wrong
 *       credentials, no token, an unknown or lapsed token: 401.</li>
 *   <li>Reads (GET): {@code miner/stats}, {@code miner/details}, {@code miner/hw/hashboards},
 *       {@code miner/errors}, {@code cooling/state}, {@code performance/tuner-state}, {@code pools/},
 *       {@code version/}, {@code configuration/miner}, {@code configuration/constraints},
 *       {@code actions/locate}, with bodies shaped as {@link BraiinsBodies} says.</li>
 *   <li>{@code GET /} (open): the web UI's landing page, a minimal HTML page titled "Braiins OS".</li>
 *   <li>Writes (PUT): {@code performance/power-target {"watt":n}} (400 outside the tuner constraints),
 *       {@code actions/pause} (the model sleeps, status paused), {@code actions/resume} (it wakes),
 *       {@code actions/locate} (a JSON boolean), {@code actions/reboot} (204; power is cut and the miner boots
 *       for 60 s).</li>
 *   <li>Hostile input: a request body over {@value #MAX_REQUEST_BYTES} bytes is 413 without being read whole;
 *       a body that is not the JSON asked for is 400; each request runs on a pool thread, so a slow client holds
 *       one thread and never the others.</li>
 * </ul>
 *
 * <p>Thread-safe: state changes are synchronized on this object.
 */
public final class SimulatedBraiins implements AutoCloseable {

    /** Largest request body accepted. */
    public static final int MAX_REQUEST_BYTES = 16 * 1024;
    /** Size of an oversize answer: twice the agent's 1 MiB cap. */
    static final int OVERSIZE_BYTES = 2 << 20;
    /** Token validity the login answers, seconds (the firmware's own value is not in the captures). */
    public static final int TOKEN_TIMEOUT_S = 3600;
    /** Tokens kept at most; a flood of logins evicts the least recently used, never grows the map. */
    public static final int MAX_TOKENS = 16;

    /**
     * An Antminer S19 XP on Braiins OS+ 25.07 (reference/DEVICES.md §6, the asic-rs v25_07 capture): ≈3137 W
     * at 144 TH/s (1-minute rate), 21.8 J/TH, otherwise {@link MinerSpec#S19_XP}.
     */
    public static final MinerSpec S19_XP = MinerSpec.S19_XP.withNameplate(3137, 144);

    private static final Logger logger = LoggerFactory.getLogger(SimulatedBraiins.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/v1/";
    /** {@code GET /}: a page whose title names the firmware, nothing more (see {@link #handle}). */
    private static final byte[] LANDING_PAGE =
            "<!DOCTYPE html>\n<html><head><title>Braiins OS</title></head><body></body></html>\n"
                    .getBytes(StandardCharsets.UTF_8);

    private final MinerModel model;
    private final MinerIdentity identity;
    private final Clock clock;
    private final String username;
    private volatile String password;
    private final BraiinsFaults faults = new BraiinsFaults();
    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private final Map<String, Instant> tokens = new HashMap<>();
    private long minTargetWatts;
    private long maxTargetWatts;
    private boolean paused;
    private boolean locating;
    private int reboots;

    /**
     * Starts the API on a free loopback port.
     *
     * @param spec the physical miner; its power target starts at the nameplate
     * @param seed seed of the model and identity
     * @param clock the model's and the tokens' time (a {@code ManualClock} in tests)
     * @param password the password of user {@code root}
     */
    public SimulatedBraiins(MinerSpec spec, long seed, Clock clock, String password) throws IOException {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.model = new MinerModel(spec, seed, 25, clock.instant());
        this.identity = MinerIdentity.generate(seed, 0);
        this.username = "root";
        this.password = Objects.requireNonNull(password, "password");
        // The tuner's power-target range: an estimate (no capture of configuration/constraints exists).
        this.minTargetWatts = Math.round(spec.nameplateWatts() * 0.4);
        this.maxTargetWatts = Math.round(spec.nameplateWatts() * 1.15);
        this.executor = Executors.newFixedThreadPool(8, task -> {
            Thread thread = new Thread(task, "braiins-sim");
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public MinerModel model() {
        return model;
    }

    public BraiinsFaults faults() {
        return faults;
    }

    /** Requests received so far (any path, any outcome). */
    public int requests() {
        return requests.get();
    }

    /** Successful logins so far. */
    public int logins() {
        return logins.get();
    }

    /** Requests refused with 401 (wrong credentials, no token, unknown or lapsed token). */
    public int refusals() {
        return refusals.get();
    }

    /** The password of user root from now on; tokens already issued stay valid. */
    public void setPassword(String password) {
        this.password = Objects.requireNonNull(password, "password");
    }

    /** Forgets every token, as a bosminer restart does. */
    public synchronized void revokeTokens() {
        tokens.clear();
    }

    /** The tuner's power-target range, watts. */
    public synchronized void setPowerTargetRange(long min, long max) {
        if (min <= model.spec().sleepWatts()
                || max < min
                || max > 2 * model.spec().nameplateWatts()) {
            throw new IllegalArgumentException("power-target range: " + min + "–" + max + " W is not usable");
        }
        this.minTargetWatts = min;
        this.maxTargetWatts = max;
    }

    public synchronized boolean paused() {
        return paused;
    }

    public synchronized boolean locating() {
        return locating;
    }

    public synchronized int reboots() {
        return reboots;
    }

    /** The mode the model is in. */
    public Mode mode() {
        return model.mode();
    }

    private void handle(HttpExchange exchange) {
        requests.incrementAndGet();
        try (exchange) {
            Duration wait = faults.responseDelay();
            if (!wait.isZero() && closing.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return; // closing: drop the connection
            }
            long declared = contentLength(exchange);
            byte[] body = declared > MAX_REQUEST_BYTES ? null : readBounded(exchange.getRequestBody());
            if (body == null) {
                error(exchange, 413, "request body over " + MAX_REQUEST_BYTES + " bytes");
                return;
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/") && method.equals("GET")) {
                // The web UI's landing page, open like the firmware's: all there is to it here is the title
                // naming the firmware, the fingerprint pyasic's factory looks for (reference/DEVICES.md §4.9).
                send(exchange, 200, "text/html; charset=utf-8", LANDING_PAGE);
                return;
            }
            if (path.equals(API + "auth/login")) {
                if (!method.equals("POST")) {
                    error(exchange, 405, method + " is not allowed on " + path);
                    return;
                }
                login(exchange, body);
                return;
            }
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refusals.incrementAndGet();
                error(exchange, 401, "Unauthorized. User must be authenticated.");
                return;
            }
            if (faults.serverError()) {
                error(exchange, 500, "Internal server error.");
                return;
            }
            if (faults.missing().contains(path)) {
                error(exchange, 404, "Not Found");
                return;
            }
            route(exchange, method, path, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // A client that went away or sent nonsense costs its own request only.
            logger.debug("simulated Braiins OS: request failed: {}", e.toString());
        }
    }

    private void login(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode request = parse(body);
        if (request == null
                || !request.isObject()
                || !request.path("username").isTextual()
                || !request.path("password").isTextual()) {
            error(exchange, 400, "Invalid request payload: expected {\"username\":…,\"password\":…}");
            return;
        }
        if (!request.get("username").asText().equals(username)
                || !request.get("password").asText().equals(password)) {
            refusals.incrementAndGet();
            error(exchange, 401, "Invalid username or password");
            return;
        }
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        synchronized (this) {
            if (tokens.size() >= MAX_TOKENS) {
                tokens.entrySet().stream()
                        .min(Map.Entry.comparingByValue())
                        .map(Map.Entry::getKey)
                        .ifPresent(tokens::remove);
            }
            tokens.put(token, clock.instant());
        }
        logins.incrementAndGet();
        sendJson(exchange, 200, JSON.createObjectNode().put("token", token).put("timeout_s", TOKEN_TIMEOUT_S));
    }

    private synchronized boolean authorized(String token) {
        if (token == null) {
            return false;
        }
        Instant lastUse = tokens.get(token.strip());
        Instant now = clock.instant();
        if (lastUse == null) {
            return false;
        }
        if (now.isAfter(lastUse.plusSeconds(TOKEN_TIMEOUT_S))) {
            tokens.remove(token.strip());
            return false;
        }
        tokens.put(token.strip(), now);
        return true;
    }

    private void route(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
        if (!path.startsWith(API)) {
            error(exchange, 404, "Not Found");
            return;
        }
        String endpoint = path.substring(API.length());
        switch (method) {
            case "GET" -> read(exchange, endpoint);
            case "PUT" -> write(exchange, endpoint, body);
            default -> error(exchange, 405, method + " is not allowed on " + path);
        }
    }

    private void read(HttpExchange exchange, String endpoint) throws IOException {
        JsonNode answer;
        synchronized (this) {
            model.advanceTo(clock.instant());
            MinerSnapshot s = model.snapshot();
            MinerSpec spec = model.spec();
            answer = switch (endpoint) {
                case "miner/stats" -> BraiinsBodies.stats(s, spec);
                case "miner/details" -> BraiinsBodies.details(s, spec, identity, paused);
                case "miner/hw/hashboards" -> BraiinsBodies.hashboards(s, spec);
                case "miner/errors" -> JSON.createObjectNode().set("errors", JSON.createArrayNode());
                case "cooling/state" -> BraiinsBodies.cooling(s);
                case "performance/tuner-state" -> BraiinsBodies.tunerState(s, model.powerTargetWatts());
                case "pools/", "pools" -> BraiinsBodies.pools(!paused);
                case "version/", "version" -> BraiinsBodies.version();
                case "configuration/miner" -> BraiinsBodies.configuration(model.powerTargetWatts());
                case "configuration/constraints" ->
                    BraiinsBodies.constraints(minTargetWatts, maxTargetWatts, Math.round(spec.nameplateWatts()));
                case "actions/locate" -> JSON.getNodeFactory().booleanNode(locating);
                default -> null;
            };
        }
        if (answer == null) {
            error(exchange, 404, "Not Found");
            return;
        }
        if (faults.garbage()) {
            send(
                    exchange,
                    200,
                    "text/html",
                    "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (faults.oversize()) {
            byte[] big = new byte[OVERSIZE_BYTES];
            Arrays.fill(big, (byte) ' ');
            big[0] = '{';
            big[big.length - 1] = '}';
            send(exchange, 200, "application/json", big);
            return;
        }
        sendJson(exchange, 200, faults.wrongTypes() ? BraiinsBodies.wrongTypes(answer) : answer);
    }

    private void write(HttpExchange exchange, String endpoint, byte[] body) throws IOException {
        switch (endpoint) {
            case "performance/power-target" -> powerTarget(exchange, body);
            case "actions/pause", "actions/resume" -> {
                boolean pause = endpoint.equals("actions/pause");
                boolean already;
                synchronized (this) {
                    model.advanceTo(clock.instant());
                    already = paused == pause;
                    paused = pause;
                    if (pause) {
                        model.sleep();
                    } else {
                        model.wakeUp();
                    }
                }
                sendJson(exchange, 200, JSON.getNodeFactory().booleanNode(already));
            }
            case "actions/locate" -> {
                JsonNode request = parse(body);
                if (request == null || !request.isBoolean()) {
                    error(exchange, 400, "Invalid request payload: expected true or false");
                    return;
                }
                synchronized (this) {
                    locating = request.asBoolean();
                }
                sendJson(exchange, 200, request);
            }
            case "actions/reboot" -> {
                synchronized (this) {
                    model.advanceTo(clock.instant());
                    reboots++;
                    paused = false;
                    tokens.clear();
                    if (model.powered()) {
                        model.cutPower();
                    }
                    model.restorePower(Duration.ofSeconds(60));
                }
                send(exchange, 204, "application/json", new byte[0]);
            }
            default -> error(exchange, 404, "Not Found");
        }
    }

    private void powerTarget(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode request = parse(body);
        JsonNode watt = request == null ? null : request.get("watt");
        if (watt == null || !watt.canConvertToLong() || !watt.isIntegralNumber()) {
            error(exchange, 400, "Invalid request payload: expected {\"watt\": <integer>}");
            return;
        }
        long watts = watt.asLong();
        synchronized (this) {
            if (watts < minTargetWatts || watts > maxTargetWatts) {
                error(
                        exchange,
                        400,
                        "power target " + watts + " W is outside " + minTargetWatts + "–" + maxTargetWatts + " W");
                return;
            }
            model.advanceTo(clock.instant());
            if (!faults.ignorePowerTarget()) {
                model.setPowerTargetWatts(watts);
            }
        }
        sendJson(exchange, 200, JSON.createObjectNode().put("watt", watts));
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static long contentLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The body, or null when it is over {@link #MAX_REQUEST_BYTES}. */
    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
        return bytes.length > MAX_REQUEST_BYTES ? null : bytes;
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("message", message);
        sendJson(exchange, status, body);
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
