package io.headroom.controller.api;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.metric;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.command.CommandView;
import io.headroom.controller.ingest.Ingest;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.Verb;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/stream/device/{id}} (D59) over real sockets, as the device page's EventSource and as a hostile
 * client would use it: no credentials 401, an unknown device 404, a write 405; every part of the page as its route
 * answers it, then only the part that changed (a new sample: {@code device}; a command: {@code commands}; a new
 * status: {@code device} and {@code timeline}); the device removed by its agent's new Birth, and back; the stream of a
 * signed-out session ended; a client that stops reading closed.
 *
 * <p>Each test watches devices of its own agent, so that one test's feed is not another's change.
 */
@Timeout(60)
class DevicePageStreamIT {

    private static final String SITE = "demo";
    /** Metrics of the device the stalled client watches: its every sample is an event of about 100 KB. */
    private static final int WIDE_METRICS = 1_000;

    private static PrometheusMeterRegistry registry;
    private static Ingest ingest;
    private static CommandService commands;
    private static ApiServer server;
    private static int port;
    private static final Map<String, Long> seqs = new HashMap<>();
    private static long t = Instant.now().toEpochMilli();

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        Clock clock = Clock.systemUTC();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StateStore store = new StateStore();
        store.bindTo(registry);
        RecordingPublisher publisher = new RecordingPublisher();
        commands = new CommandService(SITE, store, publisher, clock, registry);
        ingest = new Ingest(SITE, store, publisher, commands, clock, registry);
        for (String agent : List.of("parts", "gone", "session")) {
            register(agent, miner(agent + "-m", 10));
            feed(agent, agent + "-m", 10, 3000, DeviceHealth.DEVICE_HEALTH_ONLINE, "");
        }
        DeviceDescriptor.Builder wide = miner("wide-m", 10).toBuilder();
        for (int i = 0; i < WIDE_METRICS; i++) {
            wide.addMetrics(metric(100 + i, MetricDictionary.TEMPERATURE_CHIP, "b" + i));
        }
        register("wide", wide.build());
        ApiContext context = new ApiContext(
                SITE, store, commands, registry, () -> true, ingest::connectedAgents, clock, Instant.now());
        server = ApiServer.start(
                ApiServerConfig.defaults(
                        "127.0.0.1", 0, ApiSecurity.plaintext(TestUsers.all(), dataDir.resolve("audit.jsonl"))),
                context,
                Duration.ofMillis(100),
                8,
                Duration.ofMillis(500));
        port = server.localAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Agent {@code agent} connects and registers {@code devices} (a fresh Birth: these and no others). */
    private static synchronized void register(String agent, DeviceDescriptor... devices) {
        ingest.agentConnected(agent);
        long seq = seqs.merge(agent, 1L, Long::sum);
        Birth.Builder birth = birth(agent, 9, seq, 1);
        for (DeviceDescriptor device : devices) {
            birth.addDevices(device);
        }
        send(agent, TopicKind.BIRTH, birth.build());
    }

    private static void send(String agent, TopicKind kind, Message message) {
        ingest.agentMessage(Topics.agent(SITE, agent, kind), ByteBuffer.wrap(WireCodec.encode(message)));
    }

    /** A power reading of {@code watts} (alias {@code alias}) for {@code device}, with its status. */
    private static synchronized void feed(
            String agent, String device, int alias, double watts, DeviceHealth health, String reason) {
        long seq = seqs.merge(agent, 1L, Long::sum);
        Data.Builder data = data(9, seq, t += 1000);
        data.addAlias(alias).addValue(watts).addQuality(Quality.QUALITY_GOOD);
        data.addStatus(status(device, health, reason));
        send(agent, TopicKind.DATA, data.build());
    }

    /** A new reading of every metric of the wide device. */
    private static synchronized void feedWide() {
        long seq = seqs.merge("wide", 1L, Long::sum);
        Data.Builder data = data(9, seq, t += 1000);
        for (int i = 0; i < WIDE_METRICS; i++) {
            data.addAlias(100 + i).addValue(40 + (t / 1000 % 30)).addQuality(Quality.QUALITY_GOOD);
        }
        data.addStatus(status("wide-m", DeviceHealth.DEVICE_HEALTH_ONLINE, ""));
        send("wide", TopicKind.DATA, data.build());
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .header("Authorization", TestUsers.basic(TestUsers.VIEWER))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return Responses.MAPPER.readTree(response.body());
    }

    /**
     * The next event not named in {@code passing}, failing if one of {@code unexpected} comes first; the events of a
     * tick where nothing else changed may still carry a closed history bucket.
     */
    private static String[] next(StreamClient stream, String name, Set<String> passing) throws IOException {
        while (true) {
            String[] event = stream.nextEvent();
            if (event[0].equals(name)) {
                return event;
            }
            assertThat(event[0]).as("an event before " + name + ": " + event[1]).isIn(passing);
        }
    }

    @Test
    void withoutCredentials_401_anUnknownDevice_404_andAWrite_405() throws Exception {
        try (StreamClient anonymous = StreamClient.device(port, null, "parts-m")) {
            assertThat(anonymous.head().get(0)).contains(" 401 ");
        }
        try (StreamClient unknown = StreamClient.device(port, TestUsers.VIEWER, "no-such-device")) {
            assertThat(unknown.head().get(0)).contains(" 404 ");
        }
        try (StreamClient noId = StreamClient.device(port, TestUsers.VIEWER, "")) {
            assertThat(noId.head().get(0)).contains(" 404 ");
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream()
                    .write(("POST " + StreamRoutes.DEVICE_STREAM + "parts-m HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Authorization: " + TestUsers.basic(TestUsers.OPERATOR) + "\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                            .getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(status).contains(" 405 ");
        }
    }

    @Test
    void everyPartAsItsRouteAnswers_thenOnlyThePartThatChanged() throws Exception {
        try (StreamClient stream = StreamClient.device(port, TestUsers.VIEWER, "parts-m")) {
            List<String> head = stream.head();
            assertThat(head.get(0)).contains(" 200 ");
            assertThat(head).anySatisfy(h -> assertThat(h.toLowerCase()).startsWith("content-type: text/event-stream"));

            // The first tick: every part, in order, each the JSON of the route the page would poll.
            Map<String, JsonNode> parts = new HashMap<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < DevicePageEvents.PARTS.size(); i++) {
                String[] event = stream.nextEvent();
                names.add(event[0]);
                parts.put(event[0], Responses.MAPPER.readTree(event[1]));
            }
            assertThat(names).isEqualTo(DevicePageEvents.PARTS);
            assertThat(parts.get("device")).isEqualTo(get("/api/v1/devices/parts-m"));
            assertThat(parts.get("timeline")).isEqualTo(get("/api/v1/devices/parts-m/timeline"));
            assertThat(parts.get("commands")).isEqualTo(get("/api/v1/commands?device=parts-m"));
            assertThat(parts.get("decisions")).isEmpty();
            assertThat(parts.get("history-bucket").path("1h").asText()).endsWith("0Z");
            assertThat(Instant.parse(parts.get("history-bucket").path("1d").asText())
                                    .toEpochMilli()
                            % Duration.ofMinutes(5).toMillis())
                    .isZero();
            int timeline = parts.get("timeline").path("changes").size();

            // A new sample: the device's part, nothing else.
            feed("parts", "parts-m", 10, 3123, DeviceHealth.DEVICE_HEALTH_ONLINE, "");
            JsonNode device = Responses.MAPPER.readTree(next(stream, "device", Set.of("history-bucket"))[1]);
            assertThat(device.path("metrics").path("power").path("value").asDouble())
                    .isEqualTo(3123);

            // A command: the commands' part, with it.
            CommandView sent = commands.send("parts-m", Verb.VERB_SLEEP, null, "", Duration.ofSeconds(30));
            JsonNode listed = Responses.MAPPER.readTree(next(stream, "commands", Set.of("history-bucket"))[1]);
            assertThat(listed.get(0).path("commandId").asText()).isEqualTo(sent.commandId());

            // A new status: the device's part and a new line of the timeline.
            feed("parts", "parts-m", 10, 0, DeviceHealth.DEVICE_HEALTH_OFFLINE, "timeout");
            device = Responses.MAPPER.readTree(next(stream, "device", Set.of("history-bucket"))[1]);
            assertThat(device.path("status").asText()).isEqualTo("OFFLINE");
            JsonNode changes = Responses.MAPPER
                    .readTree(next(stream, "timeline", Set.of("history-bucket"))[1])
                    .path("changes");
            assertThat(changes.size()).isEqualTo(timeline + 1);
            assertThat(changes.get(changes.size() - 1).path("status").asText()).isEqualTo("OFFLINE");
            assertThat(changes.get(changes.size() - 1).path("reason").asText()).isEqualTo("timeout");
        }
    }

    @Test
    void aDeviceItsAgentNoLongerRegisters_isRemoved_andBackWithEveryPart() throws Exception {
        try (StreamClient stream = StreamClient.device(port, TestUsers.VIEWER, "gone-m")) {
            assertThat(stream.head().get(0)).contains(" 200 ");
            assertThat(stream.nextEvent()[0]).isEqualTo("device");

            register("gone", miner("gone-other", 20));
            JsonNode removed = Responses.MAPPER.readTree(
                    next(stream, "removed", Set.of("timeline", "commands", "decisions", "history-bucket"))[1]);
            assertThat(removed.path("id").asText()).isEqualTo("gone-m");
            assertThat(removed.path("error").asText()).isEqualTo("no device 'gone-m'");

            // Registered again: the page gets all of it anew.
            register("gone", miner("gone-m", 10));
            List<String> names = new ArrayList<>();
            for (int i = 0; i < DevicePageEvents.PARTS.size(); i++) {
                names.add(stream.nextEvent()[0]);
            }
            assertThat(names).isEqualTo(DevicePageEvents.PARTS);
        }
    }

    @Test
    void aStreamOfASession_endsWhenTheSessionIsSignedOut() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> signIn = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/session"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + TestUsers.VIEWER
                                + "\",\"password\":\"" + TestUsers.password(TestUsers.VIEWER) + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
        String token = Responses.MAPPER.readTree(signIn.body()).path("token").asText();
        try (StreamClient stream =
                new StreamClient(port, StreamRoutes.DEVICE_STREAM + "session-m", "Bearer " + token, 0)) {
            assertThat(stream.head().get(0)).contains(" 200 ");
            assertThat(stream.nextEvent()[0]).isEqualTo("device");
            HttpResponse<String> signOut = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/session"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signOut.statusCode()).as(signOut.body()).isEqualTo(200);
            assertThatThrownBy(() -> {
                        while (true) {
                            feed("session", "session-m", 10, 2900, DeviceHealth.DEVICE_HEALTH_ONLINE, "");
                            stream.nextEvent();
                        }
                    })
                    .isInstanceOf(IOException.class)
                    .hasMessage("the stream ended");
        }
    }

    @Test
    void aClientThatStopsReading_isClosed_andAReadingOneGoesOn() throws Exception {
        double before = registry.get("headroom.http.streams.closed")
                .tag("reason", "unwritable")
                .counter()
                .count();
        try (StreamClient stalled = new StreamClient(
                        port, StreamRoutes.DEVICE_STREAM + "wide-m", TestUsers.basic(TestUsers.VIEWER), 4096);
                StreamClient reading = StreamClient.device(port, TestUsers.VIEWER, "wide-m")) {
            assertThat(stalled.head().get(0)).contains(" 200 ");
            assertThat(reading.head().get(0)).contains(" 200 ");
            // The reading client reads on a thread of its own, counting the device events it gets, as a browser would.
            AtomicInteger read = new AtomicInteger();
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        if (reading.nextEvent()[0].equals("device")) {
                            read.incrementAndGet();
                        }
                    }
                } catch (IOException ended) {
                    // the socket closed at the end of the test
                }
            });
            reader.setDaemon(true);
            reader.start();
            await().atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        feedWide();
                        return registry.get("headroom.http.streams.closed")
                                        .tag("reason", "unwritable")
                                        .counter()
                                        .count()
                                > before;
                    });
            int readBefore = read.get();
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        feedWide();
                        return read.get() > readBefore;
                    });
            assertThatThrownBy(() -> {
                        while (true) {
                            stalled.nextEvent();
                        }
                    })
                    .isInstanceOf(IOException.class);
        }
    }
}
