package io.headroom.controller.api;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.pdu;
import static io.headroom.controller.ingest.WireFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.ingest.Ingest;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.Verb;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ApiServerIT {

    private static final String SITE = "demo";
    private static final long T0 = Instant.parse("2024-05-01T12:00:00Z").toEpochMilli();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final AtomicBoolean transportUp = new AtomicBoolean(true);
    private static final RecordingPublisher publisher = new RecordingPublisher();
    private static PrometheusMeterRegistry registry;
    private static ApiServer server;
    private static HttpClient client;
    private static String base;
    private static String token;

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        Clock clock = Clock.systemUTC();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StateStore store = new StateStore();
        store.bindTo(registry);
        CommandService commands = new CommandService(SITE, store, publisher, clock, registry);
        Ingest ingest = new Ingest(SITE, store, publisher, commands, clock, registry);
        ingest.agentConnected("rack-1");
        send(
                ingest,
                TopicKind.BIRTH,
                birth("rack-1", 9, 1, 1)
                        .addDevices(miner("m2", 20))
                        .addDevices(miner("m1", 10))
                        .addDevices(pdu("p1", 30))
                        .build());
        send(
                ingest,
                TopicKind.DATA,
                data(9, 2, T0)
                        .addAlias(10)
                        .addValue(3250)
                        .addAlias(11)
                        .addValue(140.5)
                        .addAlias(12)
                        .addValue(71.5)
                        .addQuality(Quality.QUALITY_GOOD)
                        .addQuality(Quality.QUALITY_GOOD)
                        .addQuality(Quality.QUALITY_UNCERTAIN)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .addStatus(status("p1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build());
        ApiContext context = new ApiContext(
                SITE, store, commands, registry, transportUp::get, ingest::connectedAgents, clock, Instant.now());
        server = ApiServer.start(
                new ApiServerConfig(
                        "127.0.0.1",
                        0,
                        Duration.ofMillis(700),
                        64 * 1024,
                        ApiServerConfig.DEFAULT_MAX_CONNECTIONS,
                        ApiSecurity.plaintext(TestUsers.all(), dataDir.resolve("audit.jsonl"))),
                context);
        base = "http://127.0.0.1:" + server.localAddress().getPort();
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpResponse<String> signIn = client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/session"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + TestUsers.OPERATOR
                                + "\",\"password\":\"" + TestUsers.password(TestUsers.OPERATOR) + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
        token = JSON.readTree(signIn.body()).get("token").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
        server.close();
    }

    private static void send(Ingest ingest, TopicKind kind, Message message) {
        ingest.agentMessage(Topics.agent(SITE, "rack-1", kind), ByteBuffer.wrap(WireCodec.encode(message)));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return JSON.readTree(response.body());
    }

    @Test
    void devices_list_sortedWithFullShape() throws Exception {
        HttpResponse<String> response = get("/api/v1/devices");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode devices = json(response);
        assertThat(devices.isArray()).isTrue();
        assertThat(devices).extracting(d -> d.get("id").asText()).containsExactly("m1", "m2", "p1");
        JsonNode m1 = devices.get(0);
        assertThat(m1.get("agent").asText()).isEqualTo("rack-1");
        assertThat(m1.get("kind").asText()).isEqualTo("miner");
        assertThat(m1.get("model").asText()).isEqualTo("Antminer S19 XP");
        assertThat(m1.get("profile").asText()).isEqualTo("bitmain/stock");
        assertThat(m1.get("firmware").asText()).isEqualTo("2023.05");
        assertThat(m1.get("nameplatePowerW").asDouble()).isEqualTo(3010);
        assertThat(m1.get("status").asText()).isEqualTo("ONLINE");
        assertThat(m1.has("statusReason")).isTrue();
        assertThat(m1.has("statusMessage")).isTrue();
        assertThat(Instant.parse(m1.get("statusSince").asText())).isNotNull();
        JsonNode power = m1.get("metrics").get("power");
        assertThat(power.get("value").asDouble()).isEqualTo(3250);
        assertThat(power.get("unit").asText()).isEqualTo("W");
        assertThat(power.get("at").asText()).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(power.get("quality").asText()).isEqualTo("good");
        JsonNode chip = m1.get("metrics").get("temperature.chip[board1]");
        assertThat(chip.get("unit").asText()).isEqualTo("°C");
        assertThat(chip.get("quality").asText()).isEqualTo("uncertain");
        assertThat(m1.get("metrics").has("temperature.chip[board2]")).isFalse();
        JsonNode m2 = devices.get(1);
        assertThat(m2.get("status").asText()).isEqualTo("STALE");
        assertThat(m2.get("statusReason").asText()).isEqualTo("awaiting-data");
        assertThat(m2.get("metrics").size()).isZero();
    }

    @Test
    void device_detailAndUnknown() throws Exception {
        HttpResponse<String> found = get("/api/v1/devices/m1");
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(json(found).get("id").asText()).isEqualTo("m1");

        HttpResponse<String> missing = get("/api/v1/devices/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("no device 'nope'");
    }

    @Test
    void unknownPath_404AndWrongMethod_405WithAllow() throws Exception {
        HttpResponse<String> unknown = get("/api/v2/nothing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).contains("/api/v2/nothing");

        HttpResponse<String> wrong = post("/api/v1/devices", "{}");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).hasValue("GET");

        HttpResponse<String> getCommands = get("/api/v1/devices/m1/commands");
        assertThat(getCommands.statusCode()).isEqualTo(405);
        assertThat(getCommands.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void postCommand_onlineDevice_202ThenReadableByIdAndByDevice() throws Exception {
        HttpResponse<String> response =
                post("/api/v1/devices/m1/commands", "{\"verb\":\"set-power-target\",\"value\":2800,\"ttlSeconds\":20}");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode command = json(response);
        assertThat(command.get("deviceId").asText()).isEqualTo("m1");
        assertThat(command.get("verb").asText()).isEqualTo("set-power-target");
        assertThat(command.get("value").asDouble()).isEqualTo(2800);
        assertThat(command.get("state").asText()).isEqualTo("DISPATCHED");
        assertThat(command.get("readBack").isNull()).isTrue();
        for (String field : new String[] {"commandId", "reason", "message", "issuedAt", "updatedAt"}) {
            assertThat(command.has(field)).as(field).isTrue();
        }
        assertThat(command.get("instance").asText()).isEmpty();
        String id = command.get("commandId").asText();
        assertThat(publisher.commands())
                .filteredOn(c -> c.getCommandId().equals(id))
                .singleElement()
                .satisfies(c -> assertThat(c.getValue()).isEqualTo(2800));

        HttpResponse<String> byId = get("/api/v1/commands/" + id);
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(json(byId).get("commandId").asText()).isEqualTo(id);
        HttpResponse<String> byDevice = get("/api/v1/commands?device=m1");
        assertThat(json(byDevice).get(0).get("commandId").asText()).isEqualTo(id);
        assertThat(get("/api/v1/commands/no-such-id").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/commands").statusCode()).isEqualTo(400);
    }

    @Test
    void postCommand_badRequests_400WithSpecificMessages() throws Exception {
        assertError(post("/api/v1/devices/m1/commands", "{not json"), 400, "body: not valid JSON");
        assertError(post("/api/v1/devices/m1/commands", "[1]"), 400, "body: must be a JSON object");
        assertError(
                post("/api/v1/devices/m1/commands", "{\"verb\":\"dance\"}"),
                400,
                "verb: unknown verb 'dance'; expected one of sleep, wake, set-power-target, set-power-cap, outlet-on,"
                        + " outlet-off, outlet-cycle, reboot, locate-on, locate-off, write-point");
        assertError(post("/api/v1/devices/m1/commands", "{}"), 400, "verb: required");
        assertError(
                post("/api/v1/devices/m1/commands", "{\"verb\":\"set-power-target\",\"value\":\"high\"}"),
                400,
                "value: must be a number");
        assertError(
                post("/api/v1/devices/p1/commands", "{\"verb\":\"outlet-off\",\"instance\":2}"),
                400,
                "instance: must be a string");
        assertError(
                post("/api/v1/devices/m1/commands", "{\"verb\":\"sleep\",\"ttlSeconds\":0}"),
                400,
                "ttlSeconds: 0 is outside 1..600");
        assertError(
                post("/api/v1/devices/m1/commands", "{\"verb\":\"sleep\",\"force\":true}"),
                400,
                "unknown field 'force'");
    }

    @Test
    void postCommand_unknownDevice404_staleDevice409() throws Exception {
        assertError(post("/api/v1/devices/nope/commands", "{\"verb\":\"sleep\"}"), 404, "no device 'nope'");
        assertError(post("/api/v1/devices/m2/commands", "{\"verb\":\"sleep\"}"), 409, "device m2 is STALE");
    }

    @Test
    void devices_showCapabilitiesLeavingOutWhatDoesNotApply() throws Exception {
        JsonNode m1 = json(get("/api/v1/devices/m1"));
        JsonNode p1 = json(get("/api/v1/devices")).get(2);

        assertThat(m1.get("capabilities"))
                .isEqualTo(JSON.readTree("["
                        + "{\"verb\":\"sleep\",\"dangerous\":false},"
                        + "{\"verb\":\"wake\",\"dangerous\":false},"
                        + "{\"verb\":\"set-power-target\",\"unit\":\"W\",\"min\":1200.0,\"max\":3300.0,\"step\":100.0,"
                        + "\"settleMs\":30000,\"rampMs\":60000,\"readBack\":{\"metric\":\"power.target\",\"tolerance\":50.0},"
                        + "\"dangerous\":false}]"));
        assertThat(p1.get("id").asText()).isEqualTo("p1");
        assertThat(p1.get("capabilities"))
                .isEqualTo(JSON.readTree("["
                        + "{\"verb\":\"outlet-off\",\"instances\":[\"1\",\"2\"],\"dangerous\":true},"
                        + "{\"verb\":\"outlet-on\",\"instances\":[\"1\",\"2\"],\"dangerous\":false}]"));
    }

    @Test
    void postCommand_outsideCapabilities_422WithReasonAndMessage_andNothingReachesTheAgent() throws Exception {
        int before = publisher.commands().size();

        assertRefused(
                post("/api/v1/devices/m1/commands", "{\"verb\":\"set-power-target\",\"value\":3500}"),
                "out-of-range",
                "3500 W is outside 1200..3300 W");
        assertRefused(
                post("/api/v1/devices/m1/commands", "{\"verb\":\"reboot\"}"),
                "unsupported",
                "m1 does not support reboot; it supports sleep, wake, set-power-target");
        assertRefused(
                post("/api/v1/devices/m1/commands", "{\"verb\":\"set-power-target\",\"value\":2850}"),
                "off-step",
                "2850 W is not 1200 + k×100 W");
        assertRefused(
                post("/api/v1/devices/m1/commands", "{\"verb\":\"set-power-target\"}"),
                "value-required",
                "set-power-target needs a value; m1 accepts 1200..3300 W");
        assertRefused(
                post("/api/v1/devices/m1/commands", "{\"verb\":\"sleep\",\"value\":1}"),
                "value-not-allowed",
                "sleep takes no value");
        assertRefused(
                post("/api/v1/devices/p1/commands", "{\"verb\":\"outlet-off\",\"instance\":\"9\"}"),
                "unknown-instance",
                "p1 has no outlet-off instance '9'; valid: 1, 2");
        assertRefused(
                post("/api/v1/devices/p1/commands", "{\"verb\":\"outlet-off\"}"),
                "unknown-instance",
                "outlet-off on p1 needs an instance: one of 1, 2");

        assertThat(publisher.commands()).hasSize(before);
        assertThat(json(get("/api/v1/commands?device=p1")))
                .allSatisfy(c -> assertThat(c.get("instance").asText()).isNotEqualTo("9"));
        assertThat(get("/metrics").body())
                .contains("headroom_commands_refused_total{reason=\"out-of-range\"} 1.0")
                .contains("headroom_commands_refused_total{reason=\"unknown-instance\"} 2.0");
    }

    @Test
    void postCommand_outletWithListedInstance_202AndTheInstanceGoesOnTheWire() throws Exception {
        HttpResponse<String> response =
                post("/api/v1/devices/p1/commands", "{\"verb\":\"outlet-off\",\"instance\":\"2\",\"ttlSeconds\":10}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode command = json(response);
        assertThat(command.get("verb").asText()).isEqualTo("outlet-off");
        assertThat(command.get("instance").asText()).isEqualTo("2");
        assertThat(command.get("value").isNull()).isTrue();
        String id = command.get("commandId").asText();
        assertThat(publisher.commands())
                .filteredOn(c -> c.getCommandId().equals(id))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.getVerb()).isEqualTo(Verb.VERB_OUTLET_OFF);
                    assertThat(c.getInstance()).isEqualTo("2");
                    assertThat(c.getDeviceId()).isEqualTo("p1");
                });
    }

    private static void assertRefused(HttpResponse<String> response, String reason, String messageStart)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode body = json(response);
        assertThat(body.get("reason").asText()).isEqualTo(reason);
        assertThat(body.get("error").asText()).startsWith(messageStart);
    }

    private static void assertError(HttpResponse<String> response, int status, String messageStart) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).get("error").asText()).startsWith(messageStart);
    }

    @Test
    void health_upThen503WhenTransportDown() throws Exception {
        HttpResponse<String> up = get("/health");
        assertThat(up.statusCode()).isEqualTo(200);
        JsonNode body = json(up);
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("site").asText()).isEqualTo(SITE);
        assertThat(body.get("agentsConnected").asInt()).isEqualTo(1);
        assertThat(body.get("devices").asInt()).isEqualTo(3);
        assertThat(body.get("uptimeSeconds").isIntegralNumber()).isTrue();

        transportUp.set(false);
        try {
            HttpResponse<String> down = get("/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(json(down).get("status").asText()).isEqualTo("DEGRADED");
        } finally {
            transportUp.set(true);
        }
    }

    @Test
    void metrics_prometheusTextWithIngestCounters() throws Exception {
        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body())
                .contains("headroom_ingest_messages_total{kind=\"data\",outcome=\"accepted\"} 1.0")
                .contains("headroom_devices{status=\"STALE\"} 1.0")
                .contains("headroom_agents_connected 1.0");
    }

    @Test
    void page_servedWithSiteInTitleAndItsScript() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<title>Headroom — demo</title>").contains("/static/app.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();

        HttpResponse<String> script = get("/static/app.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("/api/v1/devices").doesNotContain("innerHTML =");
    }

    @Test
    void oversizedBody_413() throws Exception {
        String big = "{\"verb\":\"sleep\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";

        HttpResponse<String> response = post("/api/v1/devices/m1/commands", big);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body())
                .contains("body: at most 65536 bytes for /api/v1/devices/m1/commands; got a Content-Length of ");
    }

    @Test
    void oversizedBody_413FromItsLengthOrAsAChunkedBodyPassesTheLimit_itsRestReadAndDropped_soTheAnswerArrives()
            throws Exception {
        double refusedBefore =
                registry.get("headroom.http.request.too.large").counter().count();
        byte[] health = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        // Declared too large: answered on the head alone, before a byte of the body is sent; the body that
        // follows is read and dropped, and the connection serves the next request.
        try (Socket socket = new Socket()) {
            socket.connect(server.localAddress(), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /api/v1/devices/m1/commands HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                            + "\r\nContent-Length: 70000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readResponseHead(in);
            assertThat(head).startsWith("HTTP/1.1 413").doesNotContain("connection: close");
            assertThat(body(in, head))
                    .contains(
                            "body: at most 65536 bytes for /api/v1/devices/m1/commands; got a Content-Length of 70000");
            out.write(new byte[70_000]);
            out.write(health);
            out.flush();
            assertThat(readResponseHead(in)).startsWith("HTTP/1.1 200 OK");
        }
        // Chunked: answered once its bytes pass 64 KiB; its remaining chunks are read and dropped, then the
        // connection ends (the aggregator holds the start of it).
        try (Socket socket = new Socket()) {
            socket.connect(server.localAddress(), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /api/v1/devices/m1/commands?x=1 HTTP/1.1\r\nHost: x\r\n"
                            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 6; i++) {
                out.write(chunk);
            }
            out.flush();
            String head = readResponseHead(in);
            assertThat(head).startsWith("HTTP/1.1 413");
            assertThat(body(in, head))
                    .contains("at most 65536 bytes for /api/v1/devices/m1/commands; the chunked body ran past it");
            assertThat(head).contains("connection: close");
            out.write(chunk);
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.read()).isEqualTo(-1);
        }
        // Without keep-alive: answered, the body read to its end, then the connection closed.
        try (Socket socket = new Socket()) {
            socket.connect(server.localAddress(), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /api/v1/devices/m1/commands HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 70000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[70_000]);
            out.flush();
            String head = readResponseHead(in);
            assertThat(head).startsWith("HTTP/1.1 413").contains("connection: close");
            body(in, head);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(registry.get("headroom.http.request.too.large").counter().count() - refusedBefore)
                .isEqualTo(3);
    }

    private static String body(InputStream in, String head) throws IOException {
        int length = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void slowClient_neverCompletingRequest_isClosed() throws Exception {
        try (Socket socket = new Socket()) {
            InetSocketAddress address = server.localAddress();
            socket.connect(address, 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            assertThat(in.read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void keepAliveClient_servedRepeatedlyThenClosedWhenIdle() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(server.localAddress(), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] request = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 2; i++) {
                out.write(request);
                out.flush();
                String head = readResponseHead(in);
                assertThat(head).startsWith("HTTP/1.1 200 OK");
                int length = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
                assertThat(new String(in.readNBytes(length), StandardCharsets.UTF_8))
                        .contains("\"status\":\"UP\"");
            }
            // Idle after the last response: closed by the request timeout, not left open.
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void pipelinedRequests_answeredInOrder() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(server.localAddress(), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String auth = "Authorization: Bearer " + token + "\r\n";
            out.write(("GET /metrics HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"
                            + "GET /api/v1/devices/nope HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"
                            + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int metrics = all.indexOf("HTTP/1.1 200 OK");
            int notFound = all.indexOf("HTTP/1.1 404 Not Found");
            int health = all.indexOf("\"status\":\"UP\"");
            assertThat(metrics).isZero();
            assertThat(notFound).isGreaterThan(metrics);
            assertThat(health).isGreaterThan(notFound);
        }
    }

    /** Reads up to and including the blank line ending the response head. */
    private static String readResponseHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
