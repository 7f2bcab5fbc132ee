package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.protocol.Mode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The demo's mixed fleet end to end: one Antminer S21 on stock firmware, a Whatsminer, an S19 XP on
 * Braiins OS and an Avalon, each over its real protocol and login, beside two LuxOS miners. Each is
 * ONLINE with its profile's rated hashrate carried from the agent's Birth and placed in rack-mix; a
 * board the test fails on the Antminer is found by exactly the board-failed and under-hashing
 * filters; a sleep sent to the Braiins miner through the API pauses it and is shown as curtailed by
 * the device, not the engine.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MixedFleetDemoIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Rated hashrate of each family's profile (firmware-profiles), as the Birth must carry it. */
    private static final Map<DemoMixedRack.Family, Double> RATED = Map.of(
            DemoMixedRack.Family.ANTMINER, 200.0,
            DemoMixedRack.Family.WHATSMINER, 112.0,
            DemoMixedRack.Family.BRAIINS, 144.0,
            DemoMixedRack.Family.AVALON, 194.0);

    @TempDir
    static Path workDir;

    private static DemoSite demo;
    private static String api;

    @BeforeAll
    static void startSite() throws Exception {
        demo = DemoSite.start(new DemoOptions("mixed", 2, 1, "127.0.0.1", 0, 0, 9L, Duration.ofSeconds(1), workDir)
                .withMixedFleet(true)
                .withPace(DemoPace.fast()));
        api = Addresses.http(demo.controller().httpAddress()) + "api/v1/";
    }

    @AfterAll
    static void stopSite() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @Order(1)
    void everyFamilyIsOnlineWithItsProfileAndRatedHashrate_inRackMix() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    for (DemoMixedRack.Family family : DemoMixedRack.Family.values()) {
                        JsonNode device = get("devices/" + family.id);
                        assertThat(device.path("status").asText())
                                .as(family.id + ": "
                                        + device.path("statusMessage").asText())
                                .isEqualTo("ONLINE");
                        assertThat(device.path("profile").asText()).isEqualTo(family.profile);
                        assertThat(device.path("kind").asText()).isEqualTo("miner");
                        assertThat(device.path("metrics")
                                        .path("hashrate")
                                        .path("value")
                                        .asDouble())
                                .as(family.id + " hashrate")
                                .isPositive();
                        assertThat(device.path("nameplateHashrateThs").asDouble())
                                .as(family.id + " rated hashrate")
                                .isEqualTo(RATED.get(family));
                        assertThat(device.path("flags").isEmpty())
                                .as(family.id + " flags " + device.path("flags"))
                                .isTrue();
                    }
                });
        JsonNode rack = get("devices?rack=" + DemoMixedRack.RACK);
        assertThat(ids(rack)).containsExactlyInAnyOrder("avalon-01", "bos-01", "s21-01", "wm-01");
        assertThat(Files.readString(workDir.resolve("site.yaml"))).contains("- id: " + DemoMixedRack.RACK);
    }

    @Test
    @Order(2)
    void aFailedBoardIsFoundByExactlyItsFilters() throws Exception {
        // From a fleet with nothing to report (a miner still ramping up reads under-hashing)...
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(ids(get("devices?flag=board-failed"))).isEmpty();
                    assertThat(ids(get("devices?flag=under-hashing"))).isEmpty();
                });
        // The stock Antminer reports its 5-second rate (a Whatsminer its 1-minute average, which takes a
        // minute to show a lost board in the total).
        var antminer = demo.mixedRack().model(DemoMixedRack.Family.ANTMINER);
        antminer.failBoard(1);
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        JsonNode s21 = get("devices/s21-01");
                        assertThat(ids(get("devices?flag=board-failed")))
                                .as("s21-01 is %s", s21)
                                .containsExactly("s21-01");
                        assertThat(ids(get("devices?flag=under-hashing")))
                                .as("s21-01 is %s", s21)
                                .containsExactly("s21-01");
                    });
            JsonNode device = get("devices/s21-01");
            assertThat(device.path("flags").path("board-failed").asText())
                    .startsWith("board2 hashing 0.0 TH/s while board");
            assertThat(device.path("flags").path("under-hashing").asText())
                    .contains("of the 200.0 TH/s its nameplate gives at");
        } finally {
            antminer.repairBoard(1);
        }
    }

    @Test
    @Order(3)
    void aSleepSentToTheBraiinsMinerPausesItAndItShowsAsCurtailedByTheDevice() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(get("devices/bos-01").path("status").asText())
                                .isEqualTo("ONLINE"));
        String sleep = post("devices/bos-01/commands", "{\"verb\":\"sleep\",\"ttlSeconds\":60}")
                .path("commandId")
                .asText();
        try {
            await().atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(
                                    get("commands/" + sleep).path("state").asText())
                            .isEqualTo("APPLIED"));
            assertThat(demo.mixedRack().model(DemoMixedRack.Family.BRAIINS).mode())
                    .isEqualTo(Mode.SLEEP);
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(get("devices/bos-01")
                                    .path("flags")
                                    .path("curtailed")
                                    .asText())
                            .startsWith("asleep as the device reports, not by the engine"));
        } finally {
            post("devices/bos-01/commands", "{\"verb\":\"wake\",\"ttlSeconds\":60}");
        }
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("devices").forEach(d -> ids.add(d.path("id").asText()));
        return ids;
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
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

    private static JsonNode post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(api + path))
                        .header("Content-Type", "application/json")
                        .header("Authorization", DemoSiteIT.basic(demo, DemoSite.OPERATOR))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("POST %s: %s", path, response.body())
                .isEqualTo(202);
        return JSON.readTree(response.body());
    }
}
