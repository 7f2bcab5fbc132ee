package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.engine.CurtailedDevice;
import io.headroom.controller.engine.Curtailment;
import io.headroom.controller.site.ClaimConflicts;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.site.SiteResource;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.headroom.controller.triage.TriageRules;
import io.headroom.protocol.wire.Quality;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/devices} with filters and paging over a real socket: 30 miners on two agents and
 * two racks, of which the test made m03 and m17 hot, m05 under-hashing, m08 offline and m12 curtailed
 * by the engine; the flags and their reasons, each filter, a walk through the pages that sees every
 * match once, and each malformed parameter refused in words.
 */
class DeviceListingIT {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE_YAML = """
            site: demo
            limit-kw: 200
            feeds:
              - id: feed-a
                pdus:
                  - id: pdu-1
                    breaker: {amps: 200, volts: 230, phases: 3}
                    racks:
                      - id: rack-a
                        devices:
                          - {id: m01, agent: agent-1, class: hashing}
                          - {id: m02, agent: agent-1, class: hashing}
                          - {id: m03, agent: agent-1, class: hashing}
                      - id: rack-b
                        devices:
                          - {id: m17, agent: agent-2, class: hashing}
            """;

    @TempDir
    static Path dataDir;

    private static ApiServer server;
    private static String base;
    private static String token;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void start() throws Exception {
        SteppableClock clock = new SteppableClock(T0);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StateStore store = new StateStore();
        List<DeviceRecord> first = new ArrayList<>();
        List<DeviceRecord> second = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            String id = String.format("m%02d", i);
            DeviceRecord record = miner(id, i <= 15 ? "agent-1" : "agent-2");
            double chip = i == 3 || i == 17 ? 91 : 66;
            double hashrate = i == 5 ? 90 : 139;
            long at = T0.toEpochMilli();
            record.apply(0, 3000, at, Quality.QUALITY_GOOD_VALUE);
            record.apply(1, hashrate, at, Quality.QUALITY_GOOD_VALUE);
            record.apply(2, chip, at, Quality.QUALITY_GOOD_VALUE);
            if (i == 8) {
                record.setStatus(DeviceState.OFFLINE, "timeout", "no answer within 5 s", T0);
            }
            (i <= 15 ? first : second).add(record);
        }
        store.replaceAgentDevices("agent-1", first);
        store.replaceAgentDevices("agent-2", second);
        CommandService commands = new CommandService("demo", store, new RecordingPublisher(), clock, registry);
        SiteResource site = new SiteResource(
                SiteLoader.parse("site.yaml", SITE_YAML), DeviceLookup.of(store), ClaimConflicts.of(store), clock);
        TriageRules triage = new TriageRules(
                () -> 85, () -> Map.of("m12", new CurtailedDevice("m12", Curtailment.ASLEEP, Double.NaN, "ge-1", T0)));
        ApiContext context = new ApiContext(
                "demo",
                store,
                commands,
                registry,
                () -> true,
                () -> 2,
                clock,
                T0,
                site,
                new io.headroom.controller.engine.DecisionLog(),
                io.headroom.controller.grid.GridEvents.unconfigured(),
                Optional.empty(),
                Optional.empty(),
                () -> ApiContext.NO_ALERTS,
                io.headroom.controller.reservation.Reservations.unconfigured(),
                io.headroom.controller.history.History.off(),
                triage);
        server = ApiServer.start(
                ApiServerConfig.defaults(
                        "127.0.0.1", 0, ApiSecurity.plaintext(TestUsers.all(), dataDir.resolve("audit.jsonl"))),
                context);
        base = "http://127.0.0.1:" + server.localAddress().getPort();
        // One sign-in: Basic on every request would check the password hash each time.
        HttpResponse<String> signIn = CLIENT.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/session"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + TestUsers.VIEWER
                                + "\",\"password\":\"" + TestUsers.password(TestUsers.VIEWER) + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
        token = JSON.readTree(signIn.body()).get("token").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static DeviceRecord miner(String id, String agent) {
        return new DeviceRecord(
                id,
                agent,
                "miner",
                "Antminer S19 XP",
                "luxor/luxos",
                "2025.4.8",
                3010,
                140,
                List.of(
                        new MetricSlot("power", "", "W"),
                        new MetricSlot("hashrate", "", "TH/s"),
                        new MetricSlot("temperature.chip", "", "°C")),
                List.of(),
                DeviceState.ONLINE,
                "",
                "",
                T0);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + " → " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("devices").forEach(d -> ids.add(d.get("id").asText()));
        return ids;
    }

    @Test
    void withoutParametersTheWholeFleetAsBeforeEachWithItsFlags() throws Exception {
        JsonNode all = ok("/api/v1/devices");
        assertThat(all.isArray()).isTrue();
        assertThat(all).hasSize(30);
        assertThat(all.get(0).get("flags").isEmpty()).isTrue();
        assertThat(all.get(2).get("flags").get("hot").asText()).isEqualTo("hottest chip 91.0 °C, at or above 85 °C");
        assertThat(all.get(0).get("nameplateHashrateThs").asDouble()).isEqualTo(140);
        JsonNode one = ok("/api/v1/devices/m12");
        assertThat(one.get("flags").get("curtailed").asText())
                .isEqualTo("asleep by the engine for grid event ge-1 since 10:00:00 UTC");
    }

    @Test
    void eachFilterFindsExactlyItsDevices() throws Exception {
        assertThat(ids(ok("/api/v1/devices?flag=hot"))).containsExactly("m03", "m17");
        assertThat(ids(ok("/api/v1/devices?flag=under-hashing"))).containsExactly("m05");
        assertThat(ids(ok("/api/v1/devices?flag=offline"))).containsExactly("m08");
        assertThat(ids(ok("/api/v1/devices?flag=curtailed"))).containsExactly("m12");
        assertThat(ids(ok("/api/v1/devices?flag=hot&agent=agent-2"))).containsExactly("m17");
        assertThat(ids(ok("/api/v1/devices?flag=hot&flag=offline"))).isEmpty();
        assertThat(ids(ok("/api/v1/devices?rack=rack-a"))).containsExactly("m01", "m02", "m03");
        assertThat(ids(ok("/api/v1/devices?status=offline"))).containsExactly("m08");
        assertThat(ok("/api/v1/devices?kind=pdu").get("total").asInt()).isZero();
        JsonNode page = ok("/api/v1/devices?flag=hot");
        assertThat(page.get("total").asInt()).isEqualTo(2);
        assertThat(page.get("next").isNull()).isTrue();
    }

    @Test
    void pagesWalkEveryMatchOnceInIdOrder() throws Exception {
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = ok("/api/v1/devices?agent=agent-1&limit=4" + (next == null ? "" : "&after=" + next));
            assertThat(page.get("total").asInt()).isEqualTo(15);
            assertThat(page.get("devices").size()).isLessThanOrEqualTo(4);
            seen.addAll(ids(page));
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (next != null);
        assertThat(pages).isEqualTo(4);
        assertThat(seen)
                .hasSize(15)
                .doesNotHaveDuplicates()
                .isSorted()
                .startsWith("m01")
                .endsWith("m15");
    }

    @Test
    void malformedParametersAreRefusedInWords() throws Exception {
        Map<String, String> refused = Map.of(
                "/api/v1/devices?flag=warm", "flag: no flag 'warm'; use one of hot, offline, stale, under-hashing,",
                "/api/v1/devices?status=sleepy", "status: no status 'sleepy'; use one of",
                "/api/v1/devices?limit=0", "limit: a whole number in 1..5000",
                "/api/v1/devices?limit=5001", "limit: a whole number in 1..5000",
                "/api/v1/devices?limit=ten", "limit: a whole number in 1..5000",
                "/api/v1/devices?agent=a&agent=b", "agent: give it once",
                "/api/v1/devices?colour=red", "unknown parameter 'colour'; use after, agent, flag, kind,");
        for (Map.Entry<String, String> entry : refused.entrySet()) {
            HttpResponse<String> response = get(entry.getKey());
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error").asText())
                    .as(entry.getKey())
                    .startsWith(entry.getValue());
        }
        HttpResponse<String> long_ = get("/api/v1/devices?flag=" + "x".repeat(200));
        assertThat(long_.statusCode()).isEqualTo(400);
        assertThat(long_.body()).hasSizeLessThan(400);
    }

    @Test
    void aDeviceTimelineListsItsChangesOldestFirst() throws Exception {
        JsonNode timeline = ok("/api/v1/devices/m08/timeline");
        assertThat(timeline.get("device").asText()).isEqualTo("m08");
        assertThat(timeline.get("capacity").asInt()).isEqualTo(DeviceRecord.TIMELINE_CAPACITY);
        JsonNode changes = timeline.get("changes");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).get("status").asText()).isEqualTo("ONLINE");
        assertThat(changes.get(1).get("status").asText()).isEqualTo("OFFLINE");
        assertThat(changes.get(1).get("reason").asText()).isEqualTo("timeout");
        assertThat(changes.get(1).get("message").asText()).isEqualTo("no answer within 5 s");
        assertThat(get("/api/v1/devices/nope/timeline").statusCode()).isEqualTo(404);
    }

    @Test
    void withoutCredentialsNothingIsListed() throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/devices?flag=hot"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("m03");
    }
}
