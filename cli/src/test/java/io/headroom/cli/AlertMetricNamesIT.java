package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.headroom.agent.Agent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric name that the shipped Prometheus rules ({@code dist/prometheus/headroom-rules.yml})
 * and Grafana dashboard ({@code dist/grafana/headroom.json}) use exists in a real scrape: the
 * controller's {@code /metrics} and the agents' own, of a demo site (simulated miners, PDUs and a
 * feed meter, real agents, a grid event in force). A metric renamed in the code breaks this test
 * instead of silently emptying a panel or muting an alert.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AlertMetricNamesIT {

    /**
     * Reservations are being built: the rule is written against these names, which the reservation
     * code is to create. Listed here so that only they may be missing from the scrape.
     */
    static final Set<String> PENDING =
            Set.of("headroom_reservation_at_risk", "headroom_reservation_promised_kw", "headroom_reservation_freed_kw");

    private static final Pattern METRIC = Pattern.compile("\\bheadroom_[a-z0-9_]+\\b");
    private static final Path DIST = Path.of("..", "dist");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path workDir;

    private static DemoSite demo;
    private static String api;

    @BeforeAll
    static void startSite() throws Exception {
        demo = DemoSite.start(
                new DemoOptions("alert-site", 4, 2, "127.0.0.1", 0, 0, 11L, Duration.ofSeconds(1), workDir));
        api = Addresses.http(demo.controller().httpAddress());
    }

    @AfterAll
    static void stopSite() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void everyMetricOfTheRulesAndTheDashboard_isInARealScrape() throws Exception {
        String event = JSON.createObjectNode()
                .put("reduce_percent", 10)
                .put("end", Instant.now().plusSeconds(600).toString())
                .put("ramp_seconds", 30)
                .put("source", "test")
                .put("reference", "alert-names")
                .toString();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    HttpResponse<String> created = send("POST", "api/v1/grid-events", event, DemoSite.OPERATOR);
                    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                });
        Set<String> used = used();
        assertThat(used).as("names found in the rules and the dashboard").hasSizeGreaterThan(15);
        Set<String> scraped = new TreeSet<>();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    scraped.clear();
                    HttpResponse<String> controller = send("GET", "metrics", null, DemoSite.VIEWER);
                    assertThat(controller.statusCode()).isEqualTo(200);
                    scraped.addAll(names(controller.body()));
                    for (Agent agent : demo.agents()) {
                        scraped.addAll(names(agentMetrics(agent)));
                    }
                    Files.createDirectories(Path.of("target"));
                    Files.write(Path.of("target", "alert-metric-names.txt"), scraped);
                    Set<String> missing = new TreeSet<>(used);
                    missing.removeAll(scraped);
                    assertThat(missing).as("used but not scraped").isSubsetOf(PENDING);
                });
    }

    /** Metric names in the rules' expressions and annotations and in the dashboard's queries. */
    static Set<String> used() throws Exception {
        Set<String> names = new TreeSet<>();
        JsonNode rules = new YAMLMapper()
                .readTree(DIST.resolve("prometheus/headroom-rules.yml").toFile());
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                collect(rule.path("expr").asText(), names);
                rule.path("annotations").forEach(a -> collect(a.asText(), names));
            }
        }
        JsonNode dashboard = JSON.readTree(DIST.resolve("grafana/headroom.json").toFile());
        for (JsonNode expr : dashboard.findValues("expr")) {
            collect(expr.asText(), names);
        }
        for (JsonNode query : dashboard.findValues("query")) {
            collect(query.isTextual() ? query.asText() : query.path("query").asText(), names);
        }
        return names;
    }

    private static void collect(String text, Set<String> names) {
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
    }

    /** Sample names of a Prometheus text exposition. */
    static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    private static String agentMetrics(Agent agent) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(Addresses.http(agent.statusAddress()) + "metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<String> send(String method, String path, String body, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", DemoSiteIT.basic(demo, user));
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
