package io.headroom.simulator.vnish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated miner on Vnish firmware: the web API subset the agent's {@code vnish} driver uses ("xminer-api"
 * {@code /api/v1}, reference/DEVICES.md §4.6, the vendor's {@code api-doc.json} 1.3.4) over plain HTTP on a loopback
 * port (port 0: each test gets a free one), answering from one {@link MinerModel} advanced to the clock's time before
 * each answer.
 *
 * <ul>
 *   <li>{@code POST /api/v1/unlock {"pw"}} answers {@code {"token"}}, a wrong password 403 (as the spec says). The
 *       private paths ({@code autotune/presets}, {@code settings}, {@code mining/*}) need
 *       {@code Authorization: Bearer <token>} or the API key as {@code x-api-key}: without either, or with an
 *       unknown or lapsed token, the answer is 401. A token lapses {@value #TOKEN_TIMEOUT_S} s of clock time after its last use. {@code summary},
 *       {@code perf-summary} and {@code info} are open, as in the spec.</li>
 *   <li>Reads (GET): {@code summary}, {@code perf-summary}, {@code info}, {@code autotune/presets},
 *       {@code settings}, bodies shaped as {@link VnishBodies} says.</li>
 *   <li>{@code GET /} (open): the web UI's landing page, a minimal HTML page titled "AnthillOS".</li>
 *   <li>Writes (POST): {@code settings {"miner":{"overclock":{"preset":"<name>"}}}} selects a listed preset (the
 *       model's power target ramps to its watts); <b>a preset the miner does not list is answered exactly the same
 *       ({@code {"restart_required":false,"reboot_required":false}}) and changes nothing</b>, as the firmware does
 *       with a wattage it has no preset for; {@code mining/stop} (the model sleeps, state stopped),
 *       {@code mining/start} (it wakes), {@code mining/restart}, {@code mining/throttle {"percent":20..100}} (the
 *       target is that share of the preset's).</li>
 *   <li>Hostile input: a request body over {@value #MAX_REQUEST_BYTES} bytes is 413 without being read whole; a
 *       body that is not the JSON asked for is 400 {@code {"err"}}; each request runs on a pool thread, so a slow
 *       client holds one thread and never the others; a flood of unlocks evicts old tokens, never grows the map.</li>
 * </ul>
 *
 * <p>Thread-safe: state changes are synchronized on this object.
 */
public final class SimulatedVnish implements AutoCloseable {

    /** Largest request body accepted. */
    public static final int MAX_REQUEST_BYTES = 16 * 1024;
    /** Size of an oversize answer: twice the agent's 1 MiB cap. */
    static final int OVERSIZE_BYTES = 2 << 20;
    /** Token validity after its last use, seconds (the firmware's own value is not in any capture). */
    public static final int TOKEN_TIMEOUT_S = 3600;
    /** Tokens kept at most. */
    public static final int MAX_TOKENS = 16;

    /**
     * An Antminer S19 Pro on Vnish (reference/DEVICES.md §6: 110 TH/s at 3250 W), otherwise {@link MinerSpec#S19_XP}'s
     * physics.
     */
    public static final MinerSpec S19_PRO = new MinerSpec(
            "Antminer S19 Pro",
            3250,
            110,
            30,
            Duration.ofSeconds(5),
            Duration.ofSeconds(15),
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            43,
            3,
            76,
            4,
            0.005,
            0.01);

    /** Open paths: the spec gives them no security requirement. */
    private static final Set<String> OPEN = Set.of("summary", "perf-summary", "info");

    private static final Logger logger = LoggerFactory.getLogger(SimulatedVnish.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/v1/";
    /** {@code GET /}: a page whose title names the firmware, nothing more (see {@link #handle}). */
    private static final byte[] LANDING_PAGE =
            "<!DOCTYPE html>\n<html><head><title>AnthillOS</title></head><body></body></html>\n"
                    .getBytes(StandardCharsets.UTF_8);

    private final MinerModel model;
    private final MinerIdentity identity;
    private final Clock clock;
    private final VnishAuth auth;
    private final VnishFaults faults = new VnishFaults();
    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicInteger settingsSaves = new AtomicInteger();
    private final List<VnishBodies.Preset> presets;
    private VnishBodies.Preset current;
    private boolean stopped;
    private int throttle = 100;

    /**
     * Starts the API on a free loopback port.
     *
     * @param spec the physical miner; its presets are 70, 80, 90 and 100 % of the nameplate (tuned) and 108 %
     *     (untuned), rounded to 10 W, and it starts on the 100 % one
     * @param seed seed of the model and identity
     * @param clock the model's and the tokens' time (a {@code ManualClock} in tests)
     * @param password the web UI password
     */
    public SimulatedVnish(MinerSpec spec, long seed, Clock clock, String password) throws IOException {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.model = new MinerModel(spec, seed, 25, clock.instant());
        this.identity = MinerIdentity.generate(seed, 0);
        this.auth = new VnishAuth(clock, password);
        List<VnishBodies.Preset> list = new ArrayList<>();
        for (double share : new double[] {0.7, 0.8, 0.9, 1.0, 1.08}) {
            long watts = Math.round(spec.nameplateWatts() * share / 10) * 10;
            list.add(new VnishBodies.Preset(watts, spec.nameplateThs() * share, share <= 1.0));
        }
        this.presets = List.copyOf(list);
        this.current = presets.get(3);
        model.setPowerTargetWatts(current.watts());
        this.executor = Executors.newFixedThreadPool(8, task -> {
            Thread thread = new Thread(task, "vnish-sim");
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

    public VnishFaults faults() {
        return faults;
    }

    /** Requests received so far (any path, any outcome). */
    public int requests() {
        return requests.get();
    }

    /** Successful unlocks so far. */
    public int logins() {
        return logins.get();
    }

    /** Requests refused with 401/403 (wrong password or API key, no token, unknown or lapsed token). */
    public int refusals() {
        return refusals.get();
    }

    /** {@code POST settings} requests answered 200 so far, whether or not they changed anything. */
    public int settingsSaves() {
        return settingsSaves.get();
    }

    /** The wattages of the listed presets, ascending, tuned or not. */
    public List<Long> presetWatts() {
        return presets.stream().map(VnishBodies.Preset::watts).toList();
    }

    /** The wattages of the tuned presets, ascending. */
    public List<Long> tunedPresetWatts() {
        return presets.stream()
                .filter(VnishBodies.Preset::tuned)
                .map(VnishBodies.Preset::watts)
                .toList();
    }

    /** The active preset's watts. */
    public synchronized long currentPresetWatts() {
        return current.watts();
    }

    /** The web password from now on; tokens already issued stay valid. */
    public void setPassword(String password) {
        auth.setPassword(password);
    }

    /** An API key the miner accepts as {@code x-api-key} from now on (null: none). */
    public void setApiKey(String key) {
        auth.setApiKey(key);
    }

    /** Forgets every token, as a restart of the web service does. */
    public void revokeTokens() {
        auth.revoke();
    }

    public synchronized boolean stopped() {
        return stopped;
    }

    public synchronized int throttle() {
        return throttle;
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
                // naming AnthillOS, the fingerprint pyasic's factory looks for (reference/DEVICES.md §4.9).
                send(exchange, 200, "text/html; charset=utf-8", LANDING_PAGE);
                return;
            }
            if (!path.startsWith(API)) {
                error(exchange, 404, "Not Found");
                return;
            }
            String endpoint = path.substring(API.length());
            if (endpoint.equals("unlock")) {
                if (!method.equals("POST")) {
                    error(exchange, 405, method + " is not allowed on " + path);
                    return;
                }
                unlock(exchange, body);
                return;
            }
            if (!OPEN.contains(endpoint)
                    && !auth.authorized(
                            exchange.getRequestHeaders().getFirst("x-api-key"),
                            exchange.getRequestHeaders().getFirst("Authorization"))) {
                refusals.incrementAndGet();
                send(exchange, 401, "text/plain", new byte[0]);
                return;
            }
            if (faults.serverError()) {
                error(exchange, 500, "Internal Server Error");
                return;
            }
            if (faults.missing().contains(path)) {
                error(exchange, 404, "Not Found");
                return;
            }
            switch (method) {
                case "GET" -> read(exchange, endpoint);
                case "POST" -> write(exchange, endpoint, body);
                default -> error(exchange, 405, method + " is not allowed on " + path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // A client that went away or sent nonsense costs its own request only.
            logger.debug("simulated Vnish: request failed: {}", e.toString());
        }
    }

    private void unlock(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode request = parse(body);
        if (request == null || !request.isObject() || !request.path("pw").isTextual()) {
            error(exchange, 400, "Invalid request payload: expected {\"pw\": <password>}");
            return;
        }
        Optional<String> token = auth.unlock(request.get("pw").asText());
        if (token.isEmpty()) {
            refusals.incrementAndGet();
            sendJson(exchange, 403, JSON.createObjectNode().putNull("unlock_timeout"));
            return;
        }
        logins.incrementAndGet();
        sendJson(exchange, 200, JSON.createObjectNode().put("token", token.get()));
    }

    private void read(HttpExchange exchange, String endpoint) throws IOException {
        JsonNode answer;
        synchronized (this) {
            model.advanceTo(clock.instant());
            MinerSnapshot s = model.snapshot();
            answer = switch (endpoint) {
                case "summary" -> VnishBodies.summary(s, model.spec(), state(s), throttle, !faults.poolsDead(), true);
                case "perf-summary" -> VnishBodies.perfSummary(current, presets);
                case "info" -> VnishBodies.info(model.spec(), identity);
                case "autotune/presets" -> VnishBodies.presets(presets);
                case "settings" -> VnishBodies.settings(current);
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
        sendJson(exchange, 200, faults.wrongTypes() ? VnishBodies.wrongTypes(answer) : answer);
    }

    private String state(MinerSnapshot s) {
        if (stopped) {
            return "stopped";
        }
        return s.mode() == Mode.SLEEP ? "starting" : "mining";
    }

    private void write(HttpExchange exchange, String endpoint, byte[] body) throws IOException {
        switch (endpoint) {
            case "settings" -> settings(exchange, body);
            case "mining/stop", "mining/start", "mining/restart" -> {
                synchronized (this) {
                    model.advanceTo(clock.instant());
                    if (endpoint.equals("mining/stop")) {
                        stopped = true;
                        model.sleep();
                    } else {
                        stopped = false;
                        model.wakeUp();
                    }
                }
                send(exchange, 200, "application/json", new byte[0]);
            }
            case "mining/throttle" -> {
                JsonNode request = parse(body);
                JsonNode percent = request == null ? null : request.get("percent");
                if (percent == null || !percent.isIntegralNumber() || percent.asInt() < 20 || percent.asInt() > 100) {
                    error(exchange, 400, "Invalid request payload: expected {\"percent\": 20..100}");
                    return;
                }
                synchronized (this) {
                    model.advanceTo(clock.instant());
                    throttle = percent.asInt();
                    model.setPowerTargetWatts(current.watts() * throttle / 100.0);
                }
                sendJson(exchange, 200, VnishBodies.saved());
            }
            default -> error(exchange, 404, "Not Found");
        }
    }

    private void settings(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode request = parse(body);
        if (request == null || !request.isObject()) {
            error(exchange, 400, "Invalid request payload: expected a settings object");
            return;
        }
        JsonNode preset = request.path("miner").path("overclock").path("preset");
        if (!preset.isMissingNode() && !preset.isTextual()) {
            error(exchange, 400, "Invalid request payload: miner.overclock.preset must be a string");
            return;
        }
        if (preset.isTextual()) {
            Optional<VnishBodies.Preset> listed = presets.stream()
                    .filter(p -> p.name().equals(preset.asText()))
                    .findFirst();
            synchronized (this) {
                model.advanceTo(clock.instant());
                // The firmware's quirk: a preset it does not list is accepted in silence and changes nothing.
                if (listed.isPresent() && !faults.ignorePreset()) {
                    current = listed.get();
                    model.setPowerTargetWatts(current.watts() * throttle / 100.0);
                }
            }
        }
        settingsSaves.incrementAndGet();
        sendJson(exchange, 200, VnishBodies.saved());
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

    /** An error as the firmware writes one: {@code {"err": "..."}} ({@code ErrDescr}). */
    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        sendJson(exchange, status, JSON.createObjectNode().put("err", message));
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
