package io.headroom.simulator.antminer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.headroom.protocol.Mode;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated Antminer on stock firmware: its web UI's CGI API ({@code /cgi-bin/<name>.cgi}) over plain HTTP
 * on a loopback port (port 0: each test gets a free one), every CGI behind Digest authentication
 * ({@link DigestServer}), answering from one {@link MinerModel} advanced to the clock's time before each
 * answer (reference/DEVICES.md §4.2).
 *
 * <ul>
 *   <li>Reads: {@code stats}, {@code summary}, {@code get_miner_conf}, {@code get_system_info},
 *       {@code get_blink_status} (GET).</li>
 *   <li>{@code set_miner_conf} (POST, JSON): the body becomes the configuration (as on the firmware, which
 *       replaces it whole: a body without pools leaves none); {@code miner-mode} (or, without it,
 *       {@code bitmain-work-mode}) 1 sleeps the model, 0 wakes it at its nameplate, 3 wakes it at
 *       {@value #LOW_POWER_FRACTION} of it. The answer is {@code {"stats":"success","code":"M000",…}}, or
 *       {@code "error"}/{@code M001} for a body that is not a JSON object or an unknown mode.</li>
 *   <li>{@code blink} (POST {@code {"blink":"true"|"false"}}), {@code reboot} (GET or POST: power is cut and
 *       the miner boots for {@link #setRebootTime}).</li>
 *   <li>Hostile input: a request body over {@value #MAX_REQUEST_BYTES} bytes is 413 without being read
 *       whole; a missing, wrong or replayed {@code Authorization} is 401 with a fresh nonce; each request runs
 *       on a pool thread, so a slow client holds one thread and never the others.</li>
 * </ul>
 *
 * <p>Thread-safe: state changes are synchronized on this object.
 */
public final class SimulatedAntminer implements AutoCloseable {

    /** Largest request body accepted. */
    public static final int MAX_REQUEST_BYTES = 16 * 1024;
    /** Power of work mode 3 (low power), as a fraction of the nameplate. */
    public static final double LOW_POWER_FRACTION = 0.75;
    /** Size of an oversize answer: twice the agent's 1 MiB cap. */
    static final int OVERSIZE_BYTES = 2 << 20;

    /**
     * An Antminer S21-like unit (DEVICES.md §6): 3500 W, 200 TH/s, sleep 30 W, ramp τ 5 s down / 15 s up, 30 s
     * hash-board restart on wake, thermal τ 60 s, chips 35 °C above inlet, 3 × 108 chips, 4 fans.
     */
    public static final MinerSpec S21 = new MinerSpec(
            "Antminer S21",
            3500,
            200,
            30,
            Duration.ofSeconds(5),
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            35,
            3,
            108,
            4,
            0.005,
            0.01);

    private static final Logger logger = LoggerFactory.getLogger(SimulatedAntminer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> MODE_CODES = Set.of("0", "1", "3");

    private final MinerModel model;
    private final MinerIdentity identity;
    private final Clock clock;
    private final DigestServer digest;
    private final AntminerFaults faults = new AntminerFaults();
    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger confWrites = new AtomicInteger();
    private ObjectNode conf;
    private boolean blinking;
    private boolean reportWatt = true;
    private Duration rebootTime = Duration.ofSeconds(90);
    private int reboots;

    /**
     * Starts the web UI on a free loopback port.
     *
     * @param spec the physical miner
     * @param seed seed of the model and identity
     * @param clock the model's and the nonces' time (a {@code ManualClock} in tests)
     * @param password the web password of user {@code root}
     */
    public SimulatedAntminer(MinerSpec spec, long seed, Clock clock, String password) throws IOException {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.model = new MinerModel(spec, seed, 25, clock.instant());
        this.identity = MinerIdentity.generate(seed, 0);
        this.digest = new DigestServer(clock, "root", password);
        this.conf = initialConf();
        this.executor = Executors.newFixedThreadPool(8, task -> {
            Thread thread = new Thread(task, "antminer-sim");
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    private static ObjectNode initialConf() {
        ObjectNode conf = JSON.createObjectNode();
        conf.putArray("pools")
                .addObject()
                .put("url", "stratum+tcp://pool.example.com:3333")
                .put("user", "worker.1")
                .put("pass", "x");
        conf.put("api-listen", true);
        conf.put("api-network", true);
        conf.put("api-allow", "A:0/0,W:*");
        conf.put("bitmain-fan-ctrl", false);
        conf.put("bitmain-fan-pwm", "100");
        conf.put("bitmain-freq", "550");
        conf.put("bitmain-voltage", "1800");
        conf.put("bitmain-work-mode", "0");
        conf.put("bitmain-freq-level", "100");
        return conf;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public MinerModel model() {
        return model;
    }

    public MinerIdentity identity() {
        return identity;
    }

    public AntminerFaults faults() {
        return faults;
    }

    /** Requests received so far (any path, any outcome). */
    public int requests() {
        return requests.get();
    }

    /** {@code set_miner_conf} requests that changed the configuration. */
    public int confWrites() {
        return confWrites.get();
    }

    /** Digest challenges sent so far. */
    public int challenges() {
        return digest.challenges();
    }

    /** Authorization headers refused (wrong, malformed or replayed). */
    public int refusals() {
        return digest.refusals();
    }

    /** The web password from now on. */
    public void setPassword(String password) {
        digest.setPassword(password);
    }

    /** The challenge's algorithm: {@code MD5} (the firmware's, default) or {@code SHA-256}. */
    public void setDigestAlgorithm(String algorithm) {
        digest.setAlgorithm(algorithm);
    }

    /** How long a nonce is good for, in the clock's time (5 min by default). */
    public void setNonceLifetime(Duration lifetime) {
        digest.setNonceLifetime(lifetime);
    }

    /** Whether {@code STATS[0].watt} is reported (newer firmware does; most stock firmware reports no power). */
    public synchronized void setReportWatt(boolean report) {
        this.reportWatt = report;
    }

    public synchronized void setRebootTime(Duration time) {
        this.rebootTime = Objects.requireNonNull(time, "time");
    }

    public synchronized int reboots() {
        return reboots;
    }

    public synchronized boolean blinking() {
        return blinking;
    }

    /** A copy of the configuration {@code get_miner_conf} answers. */
    public synchronized ObjectNode conf() {
        return conf.deepCopy();
    }

    /** The configured work mode code ({@code bitmain-work-mode}). */
    public synchronized String workMode() {
        return conf.path("bitmain-work-mode").asText();
    }

    private void handle(HttpExchange exchange) {
        requests.incrementAndGet();
        try (exchange) {
            Duration wait = faults.responseDelay();
            if (!wait.isZero() && closing.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return; // closing: drop the connection
            }
            long declared = contentLength(exchange);
            if (declared > MAX_REQUEST_BYTES) {
                send(exchange, 413, "text/plain", "request body over " + MAX_REQUEST_BYTES + " bytes");
                return;
            }
            byte[] body = readBounded(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, "text/plain", "request body over " + MAX_REQUEST_BYTES + " bytes");
                return;
            }
            String method = exchange.getRequestMethod();
            DigestServer.Verdict verdict = digest.check(
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    method,
                    exchange.getRequestURI().toString());
            if (verdict != DigestServer.Verdict.OK) {
                exchange.getResponseHeaders()
                        .add("WWW-Authenticate", digest.challenge(verdict == DigestServer.Verdict.STALE));
                send(exchange, 401, "text/html", "<html><body><h1>401 Unauthorized</h1></body></html>");
                return;
            }
            route(exchange, method, exchange.getRequestURI().getPath(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // A client that went away or sent nonsense costs its own request only.
            logger.debug("simulated Antminer: request failed: {}", e.toString());
        }
    }

    private void route(HttpExchange exchange, String method, String path, byte[] body)
            throws IOException, InterruptedException {
        if (path.startsWith("/cgi-bin/")
                && path.endsWith(".cgi")
                && faults.missing().contains(path.substring("/cgi-bin/".length(), path.length() - ".cgi".length()))) {
            send(exchange, 404, "text/html", "<html><body><h1>404 Not Found</h1></body></html>");
            return;
        }
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        switch (path) {
            case "/cgi-bin/stats.cgi",
                    "/cgi-bin/summary.cgi",
                    "/cgi-bin/get_miner_conf.cgi",
                    "/cgi-bin/get_system_info.cgi",
                    "/cgi-bin/get_blink_status.cgi" -> {
                if (!get) {
                    send(exchange, 405, "text/plain", method + " is not allowed on " + path);
                    return;
                }
                read(exchange, path);
            }
            case "/cgi-bin/set_miner_conf.cgi" -> {
                if (!post) {
                    send(exchange, 405, "text/plain", method + " is not allowed on " + path);
                    return;
                }
                sendJson(exchange, setConf(body));
            }
            case "/cgi-bin/blink.cgi" -> {
                if (!post) {
                    send(exchange, 405, "text/plain", method + " is not allowed on " + path);
                    return;
                }
                sendJson(exchange, blink(body));
            }
            case "/cgi-bin/reboot.cgi" -> {
                if (!get && !post) {
                    send(exchange, 405, "text/plain", method + " is not allowed on " + path);
                    return;
                }
                reboot();
                send(exchange, 200, "text/plain", "");
            }
            default -> send(exchange, 404, "text/html", "<html><body><h1>404 Not Found</h1></body></html>");
        }
    }

    private void read(HttpExchange exchange, String path) throws IOException {
        if (faults.garbage()) {
            send(exchange, 200, "text/html", "<html><body>502 Bad Gateway</body></html>");
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
        ObjectNode answer;
        synchronized (this) {
            model.advanceTo(clock.instant());
            answer = switch (path) {
                case "/cgi-bin/stats.cgi" -> AntminerCgi.stats(model.snapshot(), model.spec(), identity, reportWatt);
                case "/cgi-bin/summary.cgi" -> AntminerCgi.summary(model.snapshot(), model.spec());
                case "/cgi-bin/get_miner_conf.cgi" -> conf.deepCopy();
                case "/cgi-bin/get_system_info.cgi" -> AntminerCgi.systemInfo(model.spec(), identity);
                default -> JSON.createObjectNode().put("blink", blinking);
            };
        }
        sendJson(exchange, answer);
    }

    private ObjectNode setConf(byte[] body) throws InterruptedException {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            return result("error", "M001", "Invalid configuration");
        }
        JsonNode mode = request.has("miner-mode") ? request.get("miner-mode") : request.get("bitmain-work-mode");
        String code;
        synchronized (this) {
            code = mode == null ? workMode() : mode.asText().strip();
        }
        if (!MODE_CODES.contains(code)) {
            return result("error", "M001", "Invalid miner-mode " + code);
        }
        Duration wait = faults.writeDelay();
        if (!wait.isZero() && closing.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return result("error", "M002", "shutting down");
        }
        synchronized (this) {
            model.advanceTo(clock.instant());
            String applied = faults.ignoreMode() ? workMode() : code;
            ObjectNode next = ((ObjectNode) request).deepCopy();
            next.remove("miner-mode");
            next.put("bitmain-work-mode", applied);
            conf = next;
            confWrites.incrementAndGet();
            applyMode(applied);
        }
        return result("success", "M000", "OK!");
    }

    /** Puts the model in the mode of a work mode code; called with this object's lock held. */
    private void applyMode(String code) {
        switch (code) {
            case "1" -> model.sleep();
            case "3" -> {
                model.setPowerTargetWatts(model.spec().nameplateWatts() * LOW_POWER_FRACTION);
                model.wakeUp();
            }
            default -> {
                model.setPowerTargetWatts(model.spec().nameplateWatts());
                model.wakeUp();
            }
        }
    }

    /** The mode the model is in. */
    public synchronized Mode mode() {
        return model.mode();
    }

    private ObjectNode blink(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        String value;
        try {
            JsonNode request = JSON.readTree(body);
            value = request != null && request.isObject()
                    ? request.path("blink").asText("")
                    : "";
        } catch (IOException e) {
            value = text.startsWith("blink=") ? text.substring("blink=".length()) : "";
        }
        synchronized (this) {
            if (value.equals("true")) {
                blinking = true;
                return JSON.createObjectNode().put("code", "B000");
            }
            if (value.equals("false")) {
                blinking = false;
                return JSON.createObjectNode().put("code", "B100");
            }
        }
        return JSON.createObjectNode().put("code", "B001");
    }

    private synchronized void reboot() {
        model.advanceTo(clock.instant());
        reboots++;
        if (model.powered()) {
            model.cutPower();
        }
        model.restorePower(rebootTime);
    }

    private static ObjectNode result(String stats, String code, String msg) {
        return JSON.createObjectNode().put("stats", stats).put("code", code).put("msg", msg);
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

    private static void sendJson(HttpExchange exchange, JsonNode body) throws IOException {
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
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
