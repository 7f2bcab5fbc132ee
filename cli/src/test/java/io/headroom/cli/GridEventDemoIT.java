package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's end-to-end proof over real sockets with {@code headroom demo}'s components: simulated
 * LuxOS miners, rack PDUs over SNMP and feed meters over Modbus TCP read by real agents, the
 * controller's MQTT endpoint, its engine and its HTTP API. A grid event posted to the API brings the
 * metered site load under the target, the engine sleeps the least efficient miners, and the event's
 * compliance record shows it, proven by the meter.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GridEventDemoIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path workDir;

    /** Must-run load: a grid event never touches it (class ai-contract). */
    private static final int GPU_SERVERS = 2;

    private static DemoSite demo;
    private static String api;

    @BeforeAll
    static void startSite() throws Exception {
        demo = DemoSite.start(new DemoOptions("grid-site", 8, 2, "127.0.0.1", 0, 0, 21L, Duration.ofSeconds(1), workDir)
                .withGpuServers(GPU_SERVERS)
                .withPace(DemoPace.fast()));
        api = Addresses.http(demo.controller().httpAddress());
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonNode site = get("api/v1/site");
                    assertThat(site.path("load_kw").asDouble()).isGreaterThan(8 * 2.5 + GPU_SERVERS * 4);
                    assertThat(site.path("children").get(0).path("source").asText())
                            .isEqualTo("metered");
                    // The GPU servers answer over Redfish (chassis power) and dcgm-exporter (each GPU).
                    for (int g = 0; g < GPU_SERVERS; g++) {
                        JsonNode bmc = get("api/v1/devices/" + DemoGpuRack.gpuName(g));
                        assertThat(bmc.path("status").asText()).isEqualTo("ONLINE");
                        assertThat(bmc.path("metrics")
                                        .path("power")
                                        .path("value")
                                        .asDouble())
                                .isGreaterThan(4_000);
                        JsonNode gpus = get("api/v1/devices/" + DemoGpuRack.gpuDcgmId(g));
                        assertThat(gpus.path("status").asText()).isEqualTo("ONLINE");
                        assertThat(gpus.path("metrics")
                                        .path("power[0]")
                                        .path("value")
                                        .asDouble())
                                .isGreaterThan(300);
                    }
                });
    }

    @AfterAll
    static void stopSite() {
        if (demo != null) {
            demo.close();
        }
    }

    /** First: on the steady site, before the event's restores add decisions of their own. */
    @Test
    @Order(1)
    void aLimitChangeIsPlannedOverTheApiWithoutSendingAnything() throws Exception {
        JsonNode pdu =
                get("api/v1/site").path("children").get(0).path("children").get(0);
        String body = "{\"node\": \"" + pdu.path("id").asText() + "\", \"limit_kw\": "
                + pdu.path("load_kw").asDouble() / 2 + "}";
        int before = get("api/v1/decisions?limit=500").size();
        HttpResponse<String> plan = post("api/v1/site/dry-run", body);
        assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);
        assertThat(JSON.readTree(plan.body()).path("actions")).isNotEmpty();
        assertThat(get("api/v1/decisions?limit=500").size())
                .as("nothing decided for real")
                .isEqualTo(before);
        HttpResponse<String> viewer = HTTP.send(
                HttpRequest.newBuilder(URI.create(api + "api/v1/site/dry-run"))
                        .header("Authorization", DemoSiteIT.basic(demo, DemoSite.VIEWER))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(post("api/v1/site/dry-run", "{\"node\": \"x\"").statusCode()).isEqualTo(400);
    }

    @Test
    @Order(2)
    void aGridEventBringsTheMeteredSiteUnderItsTargetAndTheComplianceRecordShowsIt() throws Exception {
        double baseline = get("api/v1/site").path("load_kw").asDouble();
        String body = JSON.createObjectNode()
                .put("reduce_percent", 40)
                .put("end", Instant.now().plusSeconds(600).toString())
                .put("ramp_seconds", 30)
                .put("source", "test")
                .put("reference", "e2e-1")
                .toString();
        HttpResponse<String> created = post("api/v1/grid-events", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asText();

        JsonNode event = await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> get("api/v1/grid-events/" + id),
                        e -> e.path("state").asText().equals("holding"));
        double target = event.path("target_kw").asDouble();
        assertThat(target).isCloseTo(baseline * 0.6, org.assertj.core.data.Percentage.withPercentage(10));
        assertThat(event.path("site_load_source").asText()).isEqualTo("metered");
        assertThat(event.path("site_load_kw").asDouble()).isLessThanOrEqualTo(target);
        assertThat(event.path("reached_target_at").isTextual()).isTrue();
        assertThat(event.path("devices_acted_on").asInt()).isPositive();
        assertThat(event.path("compliance")).isNotEmpty();
        assertThat(event.path("devices")).isNotEmpty();

        // The meters say so too: every feed is metered, and their sum is under the target.
        JsonNode site = get("api/v1/site");
        double metered = 0;
        for (JsonNode feed : site.path("children")) {
            assertThat(feed.path("source").asText()).isEqualTo("metered");
            metered += feed.path("load_kw").asDouble();
        }
        assertThat(metered).isLessThanOrEqualTo(target);

        // Every decision names the event and its constraint; miners were put to sleep.
        JsonNode decisions = get("api/v1/decisions?limit=100");
        assertThat(decisions).isNotEmpty();
        assertThat(decisions).allSatisfy(d -> {
            assertThat(d.path("device").asText())
                    .as("ai-contract GPU servers are never curtailed for an event")
                    .startsWith("miner-");
            assertThat(d.path("event").asText()).isEqualTo(id);
            assertThat(d.path("constraint").path("limit").asText()).isEqualTo("grid-event");
            assertThat(d.path("dispatched").asBoolean()).isTrue();
        });

        // Cancelled, the event ends and the engine gives the power back after its dwell.
        HttpResponse<String> cancelled = send("DELETE", "api/v1/grid-events/" + id, "{}");
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode restored = get("api/v1/decisions?limit=200");
                    assertThat(restored)
                            .anySatisfy(d ->
                                    assertThat(d.path("restore").asBoolean()).isTrue());
                });
    }

    /** Last: a reservation asked over the API frees its capacity, read on the meter of its feed. */
    @Test
    @Order(3)
    void aReservationFreesItsCapacityOnTheMeterOfItsFeed() throws Exception {
        JsonNode feed = null;
        for (JsonNode child : get("api/v1/site").path("children")) {
            if (!child.path("id").asText().equals(DemoGpuRack.AI_FEED)) {
                feed = child;
                break;
            }
        }
        assertThat(feed).isNotNull();
        String feedId = feed.path("id").asText();
        double limit = feed.path("limit_kw").asDouble();
        Instant start = Instant.now().plusSeconds(5);
        String template = "{\"kw\": %s, \"scope\": {\"kind\": \"feed\", \"id\": \"" + feedId
                + "\"}, \"start\": \"" + start + "\", \"end\": \"" + start.plusSeconds(600)
                + "\", \"reference\": \"%s\"}";

        // The whole feed cannot be freed: refused, with the arithmetic.
        HttpResponse<String> refused = post("api/v1/reservations", template.formatted(limit, "too-much"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        JsonNode check =
                JSON.readTree(refused.body()).path("arithmetic").path("checks").get(0);
        assertThat(check.path("short_kw").asDouble()).isPositive();

        // What fits under the line now plus half of what its miners can give: some must be shed.
        double headroom =
                check.path("shed_line_kw").asDouble() - check.path("load_kw").asDouble();
        double kw = Math.round(Math.max(0, headroom) + check.path("freeable_kw").asDouble() / 2);
        HttpResponse<String> created = post("api/v1/reservations", template.formatted(kw, "ai-job-1"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asText();

        JsonNode held = await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> get("api/v1/reservations/" + id),
                        r -> r.path("state").asText().equals("holding"));
        assertThat(held.path("metered").asBoolean())
                .as("proven by the feed's meter")
                .isTrue();
        assertThat(held.path("freed_kw").asDouble()).isGreaterThanOrEqualTo(kw * 0.99);
        JsonNode metered = null;
        for (JsonNode child : get("api/v1/site").path("children")) {
            if (child.path("id").asText().equals(feedId)) {
                metered = child;
            }
        }
        assertThat(metered.path("source").asText()).isEqualTo("metered");
        assertThat(metered.path("load_kw").asDouble() + kw)
                .as("the feed's meter plus the reservation, under the feed's limit")
                .isLessThanOrEqualTo(limit);
        JsonNode decisions = get("api/v1/decisions?limit=500");
        assertThat(decisions)
                .filteredOn(d -> d.path("event").asText().equals(id))
                .isNotEmpty()
                .allSatisfy(d -> {
                    assertThat(d.path("device").asText()).startsWith("miner-");
                    assertThat(d.path("constraint").path("limit").asText()).isEqualTo("reservation");
                });

        HttpResponse<String> cancelled = send("DELETE", "api/v1/reservations/" + id, "{}");
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).path("state").asText()).isEqualTo("cancelled");
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(api + path))
                        .header("Authorization", DemoSiteIT.basic(demo, DemoSite.VIEWER))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s: %s", path, response.body())
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body);
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(api + path))
                        .header("Authorization", DemoSiteIT.basic(demo, DemoSite.OPERATOR))
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
