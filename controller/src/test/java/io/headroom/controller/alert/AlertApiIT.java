package io.headroom.controller.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.api.ApiContext;
import io.headroom.controller.api.ApiSecurity;
import io.headroom.controller.api.ApiServer;
import io.headroom.controller.api.ApiServerConfig;
import io.headroom.controller.api.TestUsers;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.engine.DecisionLog;
import io.headroom.controller.grid.GridEvents;
import io.headroom.controller.site.SiteResource;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/alerts} over the in-JVM API server: a viewer reads what the controller's
 * evaluation fires; without credentials, with a wrong password, with a write method or with
 * garbage the answer is a clear refusal and the server keeps serving.
 */
@Timeout(30)
class AlertApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private ApiServer server;
    private String base;
    private AlertMonitor monitor;

    @BeforeEach
    void start() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StateStore store = new StateStore();
        DeviceRecord hot = new DeviceRecord(
                "m1",
                "a1",
                "miner",
                "S19",
                "luxor/luxos",
                "",
                3200,
                List.of(new MetricSlot("temperature.chip", "", "°C")),
                List.of(),
                DeviceState.ONLINE,
                "",
                "",
                clock.instant());
        store.replaceAgentDevices("a1", List.of(hot));
        hot.apply(0, 96, clock.millis(), 0, clock.millis());
        monitor = new AlertMonitor(AlertSettings.DEFAULTS, store, () -> null, null, clock, registry);
        CommandService commands = new CommandService("demo", store, new RecordingPublisher(), clock, registry);
        ApiContext context = new ApiContext(
                "demo",
                store,
                commands,
                registry,
                () -> true,
                () -> 1,
                clock,
                clock.instant(),
                SiteResource.unconfigured(clock),
                new DecisionLog(),
                GridEvents.unconfigured(),
                Optional.empty(),
                Optional.empty(),
                monitor::alerts);
        server = ApiServer.start(
                new ApiServerConfig(
                        "127.0.0.1",
                        0,
                        Duration.ofSeconds(5),
                        64 * 1024,
                        ApiServerConfig.DEFAULT_MAX_CONNECTIONS,
                        ApiSecurity.plaintext(TestUsers.all(), dataDir.resolve("audit.jsonl"))),
                context);
        base = "http://127.0.0.1:" + server.localAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (!method.equals("GET")) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aViewer_readsTheFiringAlerts_withSeveritySinceAndSummary() throws Exception {
        JsonNode before = JSON.readTree(
                send("GET", "/api/v1/alerts", TestUsers.basic(TestUsers.VIEWER)).body());
        assertThat(before.get("evaluatedAt").isNull()).isTrue();
        assertThat(before.get("firing")).isEmpty();

        monitor.evaluate();
        clock.advance(Duration.ofMinutes(5));
        monitor.evaluate();
        HttpResponse<String> response = send("GET", "/api/v1/alerts", TestUsers.basic(TestUsers.VIEWER));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("evaluatedAt").asText()).isEqualTo(clock.instant().toString());
        assertThat(body.get("intervalSeconds").asInt()).isEqualTo(15);
        JsonNode alert = body.get("firing").get(0);
        assertThat(alert.get("alert").asText()).isEqualTo("HeadroomDeviceHot");
        assertThat(alert.get("severity").asText()).isEqualTo("warning");
        assertThat(alert.get("subject").asText()).isEqualTo("m1");
        assertThat(alert.get("summary").asText()).contains("96.0 °C");
        assertThat(alert.get("since").asText()).isEqualTo("2026-12-01T12:00:00Z");
        assertThat(alert.get("firingSince").asText()).isEqualTo("2026-12-01T12:05:00Z");
        assertThat(body.get("rules")).hasSize(AlertRule.values().length);
        assertThat(body.get("rules").get(0).get("forSeconds").asInt()).isEqualTo(300);
    }

    @Test
    void noCredentials_orAWrongPassword_getsA401() throws Exception {
        assertThat(send("GET", "/api/v1/alerts", null).statusCode()).isEqualTo(401);
        String wrong = "Basic "
                + java.util.Base64.getEncoder()
                        .encodeToString((TestUsers.VIEWER + ":not-the-password").getBytes(StandardCharsets.UTF_8));
        assertThat(send("GET", "/api/v1/alerts", wrong).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/alerts", "Basic !!!garbage").statusCode())
                .isEqualTo(401);
    }

    @Test
    void writes_areRefused_viewerForbidden_operatorToldToUseGet() throws Exception {
        assertThat(send("POST", "/api/v1/alerts", TestUsers.basic(TestUsers.VIEWER))
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> operator = send("DELETE", "/api/v1/alerts", TestUsers.basic(TestUsers.OPERATOR));
        assertThat(operator.statusCode()).isEqualTo(405);
        assertThat(operator.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void garbageQueriesAndPaths_areAnsweredAndTheServerKeepsServing() throws Exception {
        String viewer = TestUsers.basic(TestUsers.VIEWER);
        assertThat(send("GET", "/api/v1/alerts?%25zz=&severity=" + "x".repeat(2000), viewer)
                        .statusCode())
                .isIn(200, 400);
        assertThat(send("GET", "/api/v1/alerts/extra", viewer).statusCode()).isEqualTo(404);
        // A request line the HTTP decoder refuses, on a raw socket.
        try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/alerts\u0000\u0001 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            assertThat(reply).startsWith("HTTP/1.1 4");
        }
        assertThat(send("GET", "/api/v1/alerts", viewer).statusCode()).isEqualTo(200);
    }
}
