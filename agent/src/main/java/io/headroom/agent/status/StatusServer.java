package io.headroom.agent.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.headroom.agent.config.MetricsSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own small HTTP endpoint: {@code GET /metrics} (Prometheus text format: poll latency,
 * errors and last success per device, outbox depth and age, drops, MQTT reconnects, commands) and
 * {@code GET /health} (JSON; 200 while connected to the controller, 503 while not).
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver}: an agent is meant to be light, and a
 * scrape every few seconds needs no more. Requests are answered on one daemon thread; the server
 * reads request headers itself before handing a request over, so a slow client does not hold it.
 */
public final class StatusServer implements AutoCloseable {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger logger = LoggerFactory.getLogger(StatusServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;

    private StatusServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException naming the address when it cannot be bound
     */
    public static StatusServer start(
            MetricsSettings settings, PrometheusMeterRegistry registry, Supplier<AgentHealth> health)
            throws IOException {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(health, "health");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 16);
        } catch (IOException e) {
            throw new IOException(
                    "agent metrics cannot listen on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage(),
                    e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "headroom-agent-status");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> answer(exchange, registry, health));
        server.start();
        logger.info(
                "agent metrics and health on http://{}:{}/metrics",
                settings.bind(),
                server.getAddress().getPort());
        return new StatusServer(server, executor);
    }

    /** The address actually bound (the real port when the settings asked for 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void answer(HttpExchange exchange, PrometheusMeterRegistry registry, Supplier<AgentHealth> health)
            throws IOException {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/metrics") && !path.equals("/health")) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found: " + path + " (try /metrics or /health)\n");
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method " + method + " not allowed\n");
                return;
            }
            if (path.equals("/metrics")) {
                send(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
            } else {
                AgentHealth now = health.get();
                send(exchange, now.connected() ? 200 : 503, "application/json", json(now));
            }
        } catch (RuntimeException e) {
            // A bug behind a supplier must not take the endpoint down: say so, and keep serving.
            logger.warn("agent status request failed", e);
            if (exchange.getResponseCode() == -1) {
                send(exchange, 500, "text/plain; charset=utf-8", "internal error: " + e + "\n");
            }
        } finally {
            exchange.close();
        }
    }

    static String json(AgentHealth health) {
        ObjectNode node = JSON.createObjectNode();
        node.put("agent", health.agentId());
        node.put("site", health.site());
        ObjectNode mqtt = node.putObject("mqtt").put("url", health.mqttUrl()).put("connected", health.connected());
        health.connectionProblem().ifPresent(problem -> mqtt.put("problem", problem));
        node.put("unacked", health.unacked());
        ObjectNode outbox = node.putObject("outbox")
                .put("durable", health.outbox().durable())
                .put("depth", health.outbox().depth())
                .put("bytes", health.outbox().bytes())
                .put("oldest-age-seconds", health.outbox().oldestAgeSeconds())
                .put("quarantined", health.outbox().quarantined());
        ObjectNode dropped = outbox.putObject("dropped");
        new TreeMap<>(health.outbox().dropped()).forEach(dropped::put);
        ObjectNode devices = node.putObject("devices");
        new TreeMap<>(health.devices()).forEach(devices::put);
        node.putObject("setpoints")
                .put("held", health.setpoints().held())
                .put("enforced", health.setpoints().enforced())
                .put("lease", health.setpoints().lease());
        return node.toString() + "\n";
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /**
     * Stops listening at once. A scrape in progress is cut; Prometheus counts it as a failed scrape,
     * which is what it is. (JDK 17's {@code stop(n)} waits the full n seconds, even when idle.)
     */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
