package io.headroom.agent.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.agent.config.MetricsSettings;
import io.headroom.agent.publish.outbox.OutboxSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's status endpoint on a real socket: what each path and method answers, and its failures. */
class StatusServerIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<Supplier<AgentHealth>> health = new AtomicReference<>(() -> health(true));
    private StatusServer server;

    private static AgentHealth health(boolean connected) {
        return new AgentHealth(
                "rack-1",
                "s1",
                "tcp://127.0.0.1:1883",
                connected,
                connected ? Optional.empty() : Optional.of("TLS handshake with 127.0.0.1:8883 failed: test"),
                7,
                new OutboxSnapshot(true, 7, 4096, 12, Map.of("max-bytes", 2L, "max-age", 0L), 1),
                Map.of("online", 3, "degraded", 0, "offline", 1, "pending", 0),
                new AgentHealth.Setpoints(2, 1, "expired"));
    }

    private String start() throws IOException {
        server = StatusServer.start(
                new MetricsSettings("127.0.0.1", 0),
                registry,
                () -> health.get().get());
        return "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> send(String method, String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metrics_prometheusText_ofTheRegistry() throws Exception {
        Counter.builder("headroom.agent.test.events").register(registry).increment(3);
        String base = start();

        HttpResponse<String> response = send("GET", base + "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(StatusServer.PROMETHEUS_TEXT);
        assertThat(response.body()).contains("headroom_agent_test_events_total 3.0");
    }

    @Test
    void health_200WhileConnected_503WhileNot_sameBody() throws Exception {
        String base = start();

        HttpResponse<String> up = send("GET", base + "/health");
        health.set(() -> health(false));
        HttpResponse<String> down = send("GET", base + "/health");

        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body())
                .isEqualTo("{\"agent\":\"rack-1\",\"site\":\"s1\",\"mqtt\":{\"url\":\"tcp://127.0.0.1:1883\","
                        + "\"connected\":true},\"unacked\":7,\"outbox\":{\"durable\":true,\"depth\":7,\"bytes\":4096,"
                        + "\"oldest-age-seconds\":12,\"quarantined\":1,\"dropped\":{\"max-age\":0,\"max-bytes\":2}},"
                        + "\"devices\":{\"degraded\":0,\"offline\":1,\"online\":3,\"pending\":0},"
                        + "\"setpoints\":{\"held\":2,\"enforced\":1,\"lease\":\"expired\"}}\n");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body())
                .contains("\"connected\":false,\"problem\":\"TLS handshake with 127.0.0.1:8883 failed: test\"");
    }

    @Test
    void head_headersOnly_unknownPath404_otherMethod405() throws Exception {
        String base = start();

        HttpResponse<String> head = send("HEAD", base + "/metrics");
        HttpResponse<String> missing = send("GET", base + "/admin");
        HttpResponse<String> post = send("POST", base + "/health");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("/metrics").contains("/health");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void failingHealth_answers500_andTheEndpointKeepsServing() throws Exception {
        String base = start();
        health.set(() -> {
            throw new IllegalStateException("scripted bug");
        });

        HttpResponse<String> broken = send("GET", base + "/health");
        health.set(() -> health(true));
        HttpResponse<String> after = send("GET", base + "/health");

        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.body()).contains("scripted bug");
        assertThat(after.statusCode()).isEqualTo(200);
    }

    @Test
    void portTaken_failsNamingTheAddress() throws Exception {
        String base = start();
        int taken = server.address().getPort();

        assertThatThrownBy(
                        () -> StatusServer.start(new MetricsSettings("127.0.0.1", taken), registry, () -> health(true)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("agent metrics cannot listen on 127.0.0.1:" + taken + ": ");
        assertThat(send("GET", base + "/metrics").statusCode())
                .as("the first one unharmed")
                .isEqualTo(200);
    }
}
