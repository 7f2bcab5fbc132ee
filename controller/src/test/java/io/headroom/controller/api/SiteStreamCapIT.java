package io.headroom.controller.api;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site whose every device changes at once, more than one event may carry (D65): each {@code devices} event
 * holds at most {@link DeviceEvents#MAX_DEVICES_PER_EVENT}, the rest follow in the next ticks, oldest change
 * first, and every device arrives once, with its new reading; nothing is lost or sent twice.
 */
class SiteStreamCapIT {

    private static final String SITE = "s1";
    private static final int MINERS = 2 * DeviceEvents.MAX_DEVICES_PER_EVENT + 1_500;

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
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StateStore store = new StateStore();
        RecordingPublisher publisher = new RecordingPublisher();
        CommandService commands = new CommandService(SITE, store, publisher, clock, registry);
        ingest = new Ingest(SITE, store, publisher, commands, clock, registry);
        ingest.agentConnected("rack-1");
        Birth.Builder birth = birth("rack-1", 9, 1, 1);
        for (int i = 0; i < MINERS; i++) {
            birth.addDevices(miner("m" + i, 10 + 4 * i));
        }
        send(TopicKind.BIRTH, birth.build());
        feed(1000);
        ApiContext context = new ApiContext(
                SITE, store, commands, registry, () -> true, ingest::connectedAgents, clock, Instant.now());
        server = ApiServer.start(
                ApiServerConfig.defaults(
                        "127.0.0.1", 0, ApiSecurity.plaintext(TestUsers.all(), dataDir.resolve("audit.jsonl"))),
                context,
                Duration.ofMillis(100),
                3,
                Duration.ofSeconds(30));
        port = server.localAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void send(TopicKind kind, Message message) {
        ingest.agentMessage(Topics.agent(SITE, "rack-1", kind), ByteBuffer.wrap(WireCodec.encode(message)));
    }

    /** A power reading of {@code watts} for every miner, in one Data. */
    private static void feed(double watts) {
        Data.Builder data = data(9, seq++, t += 1000);
        for (int i = 0; i < MINERS; i++) {
            data.addAlias(10 + 4 * i).addValue(watts).addQuality(Quality.QUALITY_GOOD);
            data.addStatus(status("m" + i, DeviceHealth.DEVICE_HEALTH_ONLINE, ""));
        }
        send(TopicKind.DATA, data.build());
    }

    @Test
    void everyDeviceChangingAtOnce_arrivesInCappedEvents_eachOnce_withItsNewReading() throws Exception {
        try (StreamClient viewer = StreamClient.as(port, TestUsers.VIEWER)) {
            assertThat(viewer.head().get(0)).contains(" 200 ");
            String[] event = viewer.nextEvent();
            assertThat(event[0]).isEqualTo("snapshot");
            int parts = Responses.MAPPER.readTree(event[1]).path("parts").asInt();
            assertThat(parts).isEqualTo((MINERS + DeviceEvents.SNAPSHOT_PART - 1) / DeviceEvents.SNAPSHOT_PART);
            for (int part = 2; part <= parts; part++) {
                assertThat(viewer.nextEvent()[0]).isEqualTo("snapshot-part");
            }

            feed(2000);

            Map<String, Double> seen = new HashMap<>();
            int events = 0;
            while (seen.size() < MINERS) {
                event = viewer.nextEvent();
                if (!event[0].equals("devices")) {
                    continue;
                }
                JsonNode devices = Responses.MAPPER.readTree(event[1]).path("devices");
                assertThat(devices.size()).isBetween(1, DeviceEvents.MAX_DEVICES_PER_EVENT);
                for (JsonNode device : devices) {
                    Double before = seen.put(
                            device.path("id").asText(),
                            device.path("metrics").path("power").path("value").asDouble());
                    assertThat(before)
                            .as("%s sent twice", device.path("id").asText())
                            .isNull();
                }
                events++;
            }
            assertThat(events).isGreaterThanOrEqualTo(3);
            assertThat(seen).hasSize(MINERS);
            assertThat(seen.values()).containsOnly(2000.0);
        }
    }
}
