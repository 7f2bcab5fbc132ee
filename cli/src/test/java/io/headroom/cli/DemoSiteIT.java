package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.protocol.Mode;
import io.headroom.simulator.miner.MinerSnapshot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole slice over real sockets: simulated miners speaking the LuxOS RPC, agents polling them
 * and publishing over MQTT to the controller's own endpoint, the controller's HTTP API.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DemoSiteIT {
    private static final int MINERS = 7;
    /** Index of the miner the sleep/wake test puts to sleep; the others stay in steady state. */
    private static final int SLEEPER = MINERS - 1;
    /**
     * Index of the miner whose outlet the PDU test switches off and on: rack-2 (miners 4..6 of the second
     * agent), outlet 2.
     */
    private static final int UNPLUGGED = 5;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path workDir;

    private static DemoSite demo;
    private static String api;

    @BeforeAll
    static void startSite() throws Exception {
        demo = DemoSite.start(
                new DemoOptions("it-site", MINERS, 2, "127.0.0.1", 0, 0, 7L, Duration.ofSeconds(1), workDir)
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
    void devices_allOnlineWithin15s_withValuesCloseToTheSimulatorsOwn() {
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    JsonNode devices = get("devices");
                    List<JsonNode> miners = new java.util.ArrayList<>();
                    devices.forEach(d -> {
                        if (d.path("kind").asText().equals("miner")) {
                            miners.add(d);
                        }
                    });
                    assertThat(miners).hasSize(MINERS);
                    for (JsonNode device : miners) {
                        if (device.path("id").asText().equals(DemoSite.minerId(UNPLUGGED))) {
                            continue; // the PDU test's
                        }
                        assertThat(device.path("status").asText())
                                .as(device.path("id").asText())
                                .isEqualTo("ONLINE");
                        assertThat(device.path("metrics").has("power")).isTrue();
                        assertThat(device.path("metrics").has("hashrate")).isTrue();
                        assertThat(device.path("metrics").has("temperature.chip"))
                                .isTrue();
                    }
                });
        // The last miner belongs to the sleep/wake test, whose ramps would race this comparison.
        for (int i = 0; i < SLEEPER; i++) {
            if (i == UNPLUGGED) {
                continue;
            }
            String id = DemoSite.minerId(i);
            int index = i;
            // The agent's reading is at most one poll (1 s) plus one batch (1 s) old; in steady
            // state the simulator's values move by noise only, so they agree within a few percent.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode device = get("devices/" + id);
                MinerSnapshot truth = demo.simulator().miner(index).snapshot();
                assertThat(device.path("kind").asText()).isEqualTo("miner");
                assertThat(device.path("model").asText())
                        .isEqualTo(demo.simulator().miner(index).model().spec().model());
                assertThat(metric(device, "power")).isCloseTo(truth.powerWatts(), withinPercent(3));
                assertThat(metric(device, "hashrate")).isCloseTo(truth.hashrateThs(), withinPercent(5));
                assertThat(metric(device, "temperature.chip"))
                        .isCloseTo(truth.maxChipTempC(), org.assertj.core.data.Offset.offset(2.0));
                assertThat(device.path("metrics").path("power").path("unit").asText())
                        .isEqualTo("W");
                assertThat(device.path("metrics").path("hashrate").path("unit").asText())
                        .isEqualTo("TH/s");
            });
        }
    }

    @Test
    void sleepCommand_minerPowerFalls_andApiShowsIt_thenWakeRestores() throws Exception {
        String id = DemoSite.minerId(SLEEPER);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() ->
                        assertThat(get("devices/" + id).path("status").asText()).isEqualTo("ONLINE"));
        double mining = metric(get("devices/" + id), "power");
        assertThat(mining).isGreaterThan(2500);

        String commandId = post("devices/" + id + "/commands", "{\"verb\":\"sleep\",\"ttlSeconds\":30}")
                .path("commandId")
                .asText();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode command = get("commands/" + commandId);
            assertThat(command.path("state").asText()).isEqualTo("APPLIED");
            assertThat(command.path("readBack").asDouble()).isEqualTo(Mode.SLEEP.code());
        });
        assertThat(demo.simulator().miner(SLEEPER).model().mode()).isEqualTo(Mode.SLEEP);
        // The simulated PSU ramps down with a 5 s time constant: well under 10 % within ~20 s.
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            JsonNode device = get("devices/" + id);
            assertThat(metric(device, "power")).isLessThan(mining * 0.10);
            assertThat(metric(device, "mode")).isEqualTo(Mode.SLEEP.code());
        });

        String wakeId = post("devices/" + id + "/commands", "{\"verb\":\"wake\"}")
                .path("commandId")
                .asText();
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(
                        () -> assertThat(get("commands/" + wakeId).path("state").asText())
                                .isEqualTo("APPLIED"));
        assertThat(demo.simulator().miner(SLEEPER).model().mode()).isEqualTo(Mode.NORMAL);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(
                        () -> assertThat(metric(get("devices/" + id), "mode")).isEqualTo(Mode.NORMAL.code()));
    }

    @Test
    void pdus_reportTheirRacksPower_andOutletOffReallyCutsTheMiner_thenOnBringsItBack() throws Exception {
        assertThat(demo.pdus()).hasSize(2);
        assertThat(demo.meters()).hasSize(1);
        // Both PDUs are read by the real SNMP driver with the apc/rpdu2 profile.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (String pdu : List.of("pdu-1", "pdu-2")) {
                JsonNode device = get("devices/" + pdu);
                assertThat(device.path("status").asText()).as(pdu).isEqualTo("ONLINE");
                assertThat(device.path("kind").asText()).isEqualTo("pdu");
                assertThat(device.path("metrics").has("outlet.state[2]")).isTrue();
            }
        });
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(metric(get("devices/pdu-1"), "power"))
                        .isCloseTo(demo.power().rackWatts("rack-1"), withinPercent(3)));

        String minerId = DemoSite.minerId(UNPLUGGED);
        String off = post("devices/pdu-2/commands", "{\"verb\":\"outlet-off\",\"instance\":\"2\",\"ttlSeconds\":30}")
                .path("commandId")
                .asText();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(get("commands/" + off).path("state").asText())
                                .isEqualTo("APPLIED"));
        assertThat(demo.power().outletOn("rack-2", 2)).isFalse();
        assertThat(demo.simulator().miner(UNPLUGGED).powered()).isFalse();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(get("devices/" + minerId).path("status").asText()).isEqualTo("OFFLINE");
            assertThat(metric(get("devices/pdu-2"), "power[2]")).isZero();
        });

        String on = post("devices/pdu-2/commands", "{\"verb\":\"outlet-on\",\"instance\":\"2\",\"ttlSeconds\":30}")
                .path("commandId")
                .asText();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(get("commands/" + on).path("state").asText()).isEqualTo("APPLIED"));
        // Booting for the pace's boot delay on the wall clock, then the agent finds the miner again.
        await().atMost(DemoPace.fast().bootDelay().plusSeconds(30))
                .untilAsserted(() -> assertThat(
                                get("devices/" + minerId).path("status").asText())
                        .isEqualTo("ONLINE"));
    }

    @Test
    void agents_keepTheirOutboxOnDisk_inTheWorkFolder() {
        for (String agent : List.of("rack-1", "rack-2")) {
            Path outbox = workDir.resolve("outbox-" + agent);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(outbox).as("%s's outbox", agent).isDirectory();
                try (var files = java.nio.file.Files.list(outbox)) {
                    assertThat(files.filter(java.nio.file.Files::isRegularFile).count())
                            .as("segments in %s", outbox)
                            .isPositive();
                }
            });
        }
    }

    @Test
    void feedMeter_isReadOverModbus_andMetersItsRacksDraw() {
        assertThat(demo.power().feed("feed-1").racks()).containsExactly("rack-1", "rack-2");
        String meter = DemoSite.meterId("feed-1");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode device = get("devices/" + meter);
            assertThat(device.path("status").asText()).as(meter).isEqualTo("ONLINE");
            assertThat(device.path("kind").asText()).isEqualTo("meter");
            assertThat(device.path("metrics").has("voltage[phase1]")).isTrue();
        });
        // The meter's own error (MeterModel.ACCURACY) and the racks' draw moving between the two reads.
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(metric(get("devices/" + meter), "power"))
                        .isCloseTo(
                                demo.power().rackWatts("rack-1") + demo.power().rackWatts("rack-2"), withinPercent(3)));
    }

    @Test
    void siteTree_isMeteredAtEveryLevel_byTheDevicesTheAgentsPoll() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode site = get("site");
            assertThat(site.path("id").asText()).isEqualTo("it-site");
            assertThat(site.path("limit_kw").asDouble()).isEqualTo(150.0);
            JsonNode feed = child(site, "feed-1");
            assertThat(feed.path("source").asText()).as("feed-1 %s", feed).isEqualTo("metered");
            assertThat(feed.path("meter").asText()).isEqualTo(DemoSite.meterId("feed-1"));
            JsonNode pdu = child(feed, "pdu-1");
            assertThat(pdu.path("source").asText()).as("pdu-1 %s", pdu).isEqualTo("metered");
            JsonNode miner = child(child(pdu, "rack-1"), DemoSite.minerId(0));
            assertThat(miner.path("source").asText()).as("miner %s", miner).isEqualTo("metered");
            assertThat(feed.path("load_kw").asDouble())
                    .isCloseTo(metric(get("devices/" + DemoSite.meterId("feed-1")), "power") / 1000, withinPercent(5));
            assertThat(site.path("problems")).isEmpty();
        });
    }

    private static JsonNode child(JsonNode node, String id) {
        for (JsonNode child : node.path("children")) {
            if (child.path("id").asText().equals(id)) {
                return child;
            }
        }
        throw new AssertionError("no child " + id + " in " + node);
    }

    private static org.assertj.core.data.Percentage withinPercent(double percent) {
        return org.assertj.core.data.Percentage.withPercentage(percent);
    }

    private static double metric(JsonNode device, String key) {
        JsonNode value = device.path("metrics").path(key).path("value");
        assertThat(value.isNumber())
                .as("metric %s of %s", key, device.path("id").asText())
                .isTrue();
        return value.asDouble();
    }

    /** Basic authentication as a demo user: the API accepts it from loopback. */
    static String basic(String user) throws IOException {
        return basic(demo, user);
    }

    static String basic(DemoSite site, String user) throws IOException {
        return "Basic "
                + java.util.Base64.getEncoder()
                        .encodeToString((user + ":" + site.apiPassword(user))
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(api + path))
                        .header("Authorization", basic(DemoSite.VIEWER))
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
                        .header("Authorization", basic(DemoSite.OPERATOR))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("POST %s: %s", path, response.body())
                .isEqualTo(202);
        return JSON.readTree(response.body());
    }
}
