package io.headroom.controller.site;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.pdu;
import static io.headroom.controller.ingest.WireFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import io.headroom.controller.Controller;
import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.api.ApiContext;
import io.headroom.controller.api.ApiSecurity;
import io.headroom.controller.api.ApiServer;
import io.headroom.controller.api.ApiServerConfig;
import io.headroom.controller.api.TestUsers;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.config.ControllerConfigLoader;
import io.headroom.controller.ingest.Ingest;
import io.headroom.controller.mqtt.PasswordHash;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Quality;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/site} over the in-JVM API server, fed by ingest, and through a whole controller. */
@Timeout(30)
class SiteApiIT {

    private static final String SITE = "demo";
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE_YAML = """
            site: demo
            limit-kw: 20
            feeds:
              - id: feed-a
                pdus:
                  - id: pdu-1
                    breaker: {amps: 30, volts: 230, phases: 1}
                    meter: {agent: rack-1, device: p1}
                    racks:
                      - id: rack-1
                        devices:
                          - {id: m1, agent: rack-1, class: hashing}
                          - {id: m2, agent: rack-1, class: hashing, nameplate-w: 3300}
            zones:
              - id: hall
                heat-rejection-kw: 10
                inlet-limit-c: 35
                racks: [rack-1]
            """;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @TempDir
    static Path dataDir;

    private HttpResponse<String> get(String base, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", TestUsers.basic(TestUsers.VIEWER))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void send(Ingest ingest, TopicKind kind, Message message) {
        ingest.agentMessage(Topics.agent(SITE, "rack-1", kind), ByteBuffer.wrap(WireCodec.encode(message)));
    }

    private static JsonNode child(JsonNode node, String id) {
        return StreamSupport.stream(node.get("children").spliterator(), false)
                .filter(c -> c.get("id").asText().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no child " + id + " in " + node));
    }

    @Test
    void site_tree_withLoadsLimitsSourcesAndProblems() throws Exception {
        SteppableClock clock = new SteppableClock(T0);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StateStore store = new StateStore();
        RecordingPublisher publisher = new RecordingPublisher();
        CommandService commands = new CommandService(SITE, store, publisher, clock, registry);
        Ingest ingest = new Ingest(SITE, store, publisher, commands, clock, registry);
        ingest.agentConnected("rack-1");
        send(
                ingest,
                TopicKind.BIRTH,
                birth("rack-1", 9, 1, 1)
                        .addDevices(miner("m1", 10))
                        .addDevices(pdu("p1", 30))
                        .build());
        send(
                ingest,
                TopicKind.DATA,
                data(9, 2, T0.toEpochMilli())
                        .addAlias(10)
                        .addValue(3250)
                        .addAlias(30)
                        .addValue(60_000)
                        .addQuality(Quality.QUALITY_GOOD)
                        .addQuality(Quality.QUALITY_GOOD)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .addStatus(status("p1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build());
        SiteModel model = SiteLoader.parse("site.yaml", SITE_YAML);
        SiteProblem conflict = new SiteProblem(SiteProblem.CLAIMED_TWICE, "m9", "m9 is claimed by rack-1 and rack-2");
        SiteResource resource = new SiteResource(model, DeviceLookup.of(store), () -> List.of(conflict), clock);
        resource.promised(() -> java.util.Map.of("pdu pdu-1", 2.0));
        ApiContext context =
                new ApiContext(SITE, store, commands, registry, () -> true, () -> 1, clock, clock.instant(), resource);
        try (ApiServer server = ApiServer.start(
                new ApiServerConfig(
                        "127.0.0.1",
                        0,
                        Duration.ofSeconds(5),
                        64 * 1024,
                        ApiServerConfig.DEFAULT_MAX_CONNECTIONS,
                        ApiSecurity.plaintext(TestUsers.all(), dataDir.resolve("audit.jsonl"))),
                context)) {
            String base = "http://127.0.0.1:" + server.localAddress().getPort();

            HttpResponse<String> response = get(base, "/api/v1/site");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            JsonNode root = JSON.readTree(response.body());
            assertThat(root.get("id").asText()).isEqualTo("demo");
            assertThat(root.get("kind").asText()).isEqualTo("site");
            assertThat(root.get("limit_kw").asDouble()).isEqualTo(20.0);
            assertThat(root.get("at").asText()).isEqualTo(T0.toString());
            JsonNode feed = child(root, "feed-a");
            assertThat(feed.get("kind").asText()).isEqualTo("feed");
            assertThat(feed.get("limit_kw").isNull()).isTrue();
            assertThat(feed.get("headroom_kw").isNull()).isTrue();
            JsonNode pdu1 = child(feed, "pdu-1");
            // p1's 60 kW reading is its own: the PDU node is metered.
            assertThat(pdu1.get("source").asText()).isEqualTo("metered");
            assertThat(pdu1.get("meter").asText()).isEqualTo("p1");
            assertThat(pdu1.get("reading").asText()).isEqualTo("live");
            assertThat(pdu1.get("load_kw").asDouble()).isEqualTo(60.0);
            assertThat(pdu1.get("limit_kw").asDouble()).isEqualTo(5.52);
            assertThat(pdu1.get("headroom_kw").asDouble()).isEqualTo(-54.48);
            JsonNode rack = child(pdu1, "rack-1");
            assertThat(rack.get("source").asText()).isEqualTo("sum");
            assertThat(rack.get("load_kw").asDouble()).isEqualTo(6.55);
            assertThat(rack.get("load_by_class_kw").get("hashing").asDouble()).isEqualTo(6.55);
            assertThat(pdu1.get("promised_kw").asDouble())
                    .as("capacity promised to AI there")
                    .isEqualTo(2.0);
            assertThat(rack.has("promised_kw")).isFalse();
            assertThat(root.get("load_by_class_kw").get("hashing").asDouble())
                    .as("the site's devices by class, whatever its meter reads")
                    .isGreaterThanOrEqualTo(6.55);
            JsonNode m1 = child(rack, "m1");
            assertThat(m1.get("kind").asText()).isEqualTo("device");
            assertThat(m1.get("source").asText()).isEqualTo("device");
            assertThat(m1.get("load_kw").asDouble()).isEqualTo(3.25);
            assertThat(m1.get("class").asText()).isEqualTo("hashing");
            assertThat(m1.get("children").isEmpty()).isTrue();
            JsonNode m2 = child(rack, "m2");
            assertThat(m2.get("source").asText()).isEqualTo("override");
            assertThat(m2.get("reading").asText()).isEqualTo("none");
            assertThat(root.get("zones").get(0).get("load_kw").asDouble()).isEqualTo(6.55);
            assertThat(root.get("zones").get(0).get("kind").asText()).isEqualTo("zone");
            assertThat(root.get("problems").get(0).get("code").asText()).isEqualTo("claimed-twice");

            clock.advance(Duration.ofMinutes(1));
            JsonNode later = JSON.readTree(get(base, "/api/v1/site").body());
            JsonNode staleM1 = child(child(child(child(later, "feed-a"), "pdu-1"), "rack-1"), "m1");
            assertThat(staleM1.get("source").asText()).isEqualTo("last-known");
            assertThat(staleM1.get("reading").asText()).isEqualTo("stale");
            assertThat(child(child(later, "feed-a"), "pdu-1").get("source").asText())
                    .isEqualTo("sum");

            HttpResponse<String> post = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/site"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", TestUsers.basic(TestUsers.OPERATOR))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void withoutASiteModel_404_sayingSo() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StateStore store = new StateStore();
        Clock clock = Clock.systemUTC();
        CommandService commands = new CommandService(SITE, store, new RecordingPublisher(), clock, registry);
        ApiContext context =
                new ApiContext(SITE, store, commands, registry, () -> true, () -> 0, clock, clock.instant());
        try (ApiServer server = ApiServer.start(
                new ApiServerConfig(
                        "127.0.0.1",
                        0,
                        Duration.ofSeconds(5),
                        64 * 1024,
                        ApiServerConfig.DEFAULT_MAX_CONNECTIONS,
                        ApiSecurity.plaintext(TestUsers.all(), dataDir.resolve("audit.jsonl"))),
                context)) {
            HttpResponse<String> response =
                    get("http://127.0.0.1:" + server.localAddress().getPort(), "/api/v1/site");

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(response.body()).get("error").asText())
                    .isEqualTo("no site model configured; set 'site-model: <path to site.yaml>' in controller.yaml");
        }
    }

    @Test
    void controller_loadsTheSiteModelNamedInControllerYaml(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("credentials"),
                "rack-1 agent " + PasswordHash.create("pw".toCharArray()).encoded() + "\n",
                StandardCharsets.UTF_8);
        Files.copy(SiteLoaderTest.ROOT.resolve("docs/examples/site.yaml"), dir.resolve("site.yaml"));
        Path yaml = Files.writeString(
                dir.resolve("controller.yaml"),
                """
                site: demo
                mqtt: {port: 0, credentials-file: credentials, tls: {mode: off}}
                http:
                  port: 0
                  tls: {mode: off}
                  users:
                    - {name: %s, role: viewer, password-hash: "%s"}
                data-dir: data
                site-model: site.yaml
                """.formatted(TestUsers.VIEWER, TestUsers.hash(TestUsers.password(TestUsers.VIEWER))),
                StandardCharsets.UTF_8);
        ControllerConfig config = ControllerConfigLoader.load(yaml);
        assertThat(config.siteModel()).hasValue(dir.resolve("site.yaml"));

        try (Controller controller = Controller.start(config, Clock.systemUTC())) {
            HttpResponse<String> response =
                    get("http://127.0.0.1:" + controller.httpAddress().getPort(), "/api/v1/site");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode root = JSON.readTree(response.body());
            assertThat(root.get("id").asText()).isEqualTo("demo");
            // No agent has reported: every device (40 LuxOS miners, the mixed fleet's 4, 4 GPU servers) is
            // unknown, and each says so.
            assertThat(root.get("problems")).hasSize(48);
        }
    }
}
