package io.headroom.controller.api;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.ingest.Ingest;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Quality;
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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/stream} over real sockets, as a browser's EventSource and as a hostile client
 * would use it: no credentials, a viewer, a snapshot and then only what changed, a client that
 * stops reading (closed, the others unharmed), and more streams than allowed.
 */
@Timeout(60)
class DeviceStreamIT {

    private static final String SITE = "demo";
    /** Enough devices that a stream nobody reads fills its socket in a few ticks. */
    /** More than two snapshot parts' worth (DeviceEvents.SNAPSHOT_PART), so the snapshot comes in three. */
    private static final int MINERS = 2_500;

    private static PrometheusMeterRegistry registry;
    private static Ingest ingest;
    private static ApiServer server;
    private static int port;
    private static long seq = 2;
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
        CommandService commands = new CommandService(SITE, store, publisher, clock, registry);
        ingest = new Ingest(SITE, store, publisher, commands, clock, registry);
        ingest.agentConnected("rack-1");
        Birth.Builder birth = birth("rack-1", 9, 1, 1);
        for (int i = 0; i < MINERS; i++) {
            birth.addDevices(miner(id(i), 10 + 4 * i));
        }
        send(TopicKind.BIRTH, birth.build());
        feed(0, MINERS);
        ApiContext context = new ApiContext(
                SITE, store, commands, registry, () -> true, ingest::connectedAgents, clock, Instant.now());
        server = ApiServer.start(
                ApiServerConfig.defaults(
                        "127.0.0.1", 0, ApiSecurity.plaintext(TestUsers.all(), dataDir.resolve("audit.jsonl"))),
                context,
                Duration.ofMillis(100),
                3,
                Duration.ofMillis(500));
        port = server.localAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String id(int i) {
        return "m" + i;
    }

    private static void send(TopicKind kind, Message message) {
        ingest.agentMessage(Topics.agent(SITE, "rack-1", kind), ByteBuffer.wrap(WireCodec.encode(message)));
    }

    /** A new power reading for miners {@code from} (inclusive) to {@code to} (exclusive). */
    private static synchronized void feed(int from, int to) {
        Data.Builder data = data(9, seq++, t += 1000);
        for (int i = from; i < to; i++) {
            data.addAlias(10 + 4 * i).addValue(3000 + (t / 1000 % 100)).addQuality(Quality.QUALITY_GOOD);
            data.addStatus(status(id(i), DeviceHealth.DEVICE_HEALTH_ONLINE, ""));
        }
        send(TopicKind.DATA, data.build());
    }

    private static double closedUnwritable() {
        return registry.get("headroom.http.streams.closed")
                .tag("reason", "unwritable")
                .counter()
                .count();
    }

    @Test
    void withoutCredentials_401_andAWrite_isRefused() throws Exception {
        try (StreamClient anonymous = StreamClient.as(port, null)) {
            assertThat(anonymous.head().get(0)).contains(" 401 ");
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream()
                    .write("POST /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(status).doesNotContain(" 200 ");
        }
    }

    @Test
    void aViewer_getsASnapshot_thenOnlyTheDevicesThatChanged() throws Exception {
        try (StreamClient viewer = StreamClient.as(port, TestUsers.VIEWER)) {
            List<String> head = viewer.head();
            assertThat(head.get(0)).contains(" 200 ");
            assertThat(head).anySatisfy(h -> assertThat(h.toLowerCase()).startsWith("content-type: text/event-stream"));
            assertThat(head).anySatisfy(h -> assertThat(h.toLowerCase()).isEqualTo("transfer-encoding: chunked"));

            // The snapshot in parts of 1,000: a snapshot event, then snapshot-part events, every miner once.
            String[] snapshot = viewer.nextEvent();
            assertThat(snapshot[0]).isEqualTo("snapshot");
            var first = Responses.MAPPER.readTree(snapshot[1]);
            assertThat(first.path("part").asInt()).isEqualTo(1);
            assertThat(first.path("parts").asInt()).isEqualTo(3);
            assertThat(first.path("total").asInt()).isEqualTo(MINERS);
            List<String> all = new ArrayList<>();
            first.path("devices").forEach(d -> all.add(d.path("id").asText()));
            assertThat(all).hasSize(DeviceEvents.SNAPSHOT_PART);
            for (int part = 2; part <= 3; part++) {
                String[] next = viewer.nextEvent();
                assertThat(next[0]).isEqualTo("snapshot-part");
                var body = Responses.MAPPER.readTree(next[1]);
                assertThat(body.path("part").asInt()).isEqualTo(part);
                assertThat(body.path("parts").asInt()).isEqualTo(3);
                body.path("devices").forEach(d -> all.add(d.path("id").asText()));
            }
            assertThat(all).doesNotHaveDuplicates().hasSize(MINERS).contains(id(0), id(MINERS - 1));

            feed(7, 8);
            String[] changed = viewer.nextEvent();
            while (!changed[0].equals("devices")) {
                changed = viewer.nextEvent();
            }
            var delta = Responses.MAPPER.readTree(changed[1]).path("devices");
            // Another test's feed may land in the same tick; this one's miner is there, the untouched are not.
            List<String> ids = new ArrayList<>();
            delta.forEach(d -> ids.add(d.path("id").asText()));
            assertThat(ids).contains("m7").hasSizeLessThan(MINERS);
        }
    }

    @Test
    void aClientThatStopsReading_isClosed_andAReadingOneGoesOn() throws Exception {
        double before = closedUnwritable();
        try (StreamClient stalled = new StreamClient(port, TestUsers.basic(TestUsers.VIEWER), 4096);
                StreamClient reading = StreamClient.as(port, TestUsers.VIEWER)) {
            assertThat(stalled.head().get(0)).contains(" 200 ");
            assertThat(reading.head().get(0)).contains(" 200 ");
            // Every miner changes at every poll: the stalled stream's socket and buffers fill, the reader's do not.
            await().atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        feed(0, MINERS);
                        return closedUnwritable() > before;
                    });
            feed(3, 4);
            String[] next = reading.nextEvent();
            assertThat(next[0]).isIn("snapshot", "snapshot-part", "devices");
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
        try (StreamClient stream = new StreamClient(port, "Bearer " + token, 0)) {
            assertThat(stream.head().get(0)).contains(" 200 ");
            assertThat(stream.nextEvent()[0]).isEqualTo("snapshot");
            HttpResponse<String> signOut = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/session"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signOut.statusCode()).as(signOut.body()).isEqualTo(200);
            // The next tick ends it: reading runs into the end of the stream, not into more devices.
            assertThatThrownBy(() -> {
                        while (true) {
                            feed(1, 2);
                            stream.nextEvent();
                        }
                    })
                    .isInstanceOf(IOException.class)
                    .hasMessage("the stream ended");
        }
        assertThat(registry.get("headroom.http.streams.closed")
                        .tag("reason", "signed-out")
                        .counter()
                        .count())
                .isPositive();
    }

    @Test
    void moreStreamsThanAllowed_are503_withRetryAfter() throws Exception {
        List<StreamClient> open = new ArrayList<>();
        try {
            // Up to the cap (3), counting any another test still holds; the next is refused.
            List<String> refused = null;
            for (int i = 0; i < 4 && refused == null; i++) {
                StreamClient client = StreamClient.as(port, TestUsers.VIEWER);
                open.add(client);
                List<String> head = client.head();
                if (head.get(0).contains(" 503 ")) {
                    refused = head;
                }
            }
            assertThat(refused).as("a fourth stream").isNotNull();
            assertThat(refused).anySatisfy(h -> assertThat(h).isEqualToIgnoringCase("retry-after: 5"));
        } finally {
            for (StreamClient client : open) {
                client.close();
            }
        }
    }
}
