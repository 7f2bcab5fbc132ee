package io.headroom.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.config.CommandSettings;
import io.headroom.agent.config.MetricsSettings;
import io.headroom.agent.config.MqttSettings;
import io.headroom.agent.config.OutboxSettings;
import io.headroom.agent.config.PublishSettings;
import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.publish.outbox.Outbox;
import io.headroom.agent.publish.outbox.SegmentOutbox;
import io.headroom.config.SecretRef;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.DeviceKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 problem 4 against a real broker (Debian mosquitto): while the controller's side is
 * unreachable the publisher keeps batching into the durable outbox; after the outage every batch
 * arrives, in order, flagged historical; after a restart of the agent the earlier boot's records
 * are replayed as history and released by an ack in that boot's name, and a rebirth request in
 * the ended boot's name is not answered (no re-birth loop).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OutboxOutageIT {
    private static final String SITE = "s1";
    private static final String AGENT = "rack-1";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private FakeController controller;
    private final TelemetryBuffer telemetry = new TelemetryBuffer(List.of("m1"));
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void startBroker() throws Exception {
        broker = MosquittoBroker.start(dir);
        controller = new FakeController(broker.url(), SITE);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        controller.close();
        broker.close();
    }

    private MqttPublisher publisher() throws Exception {
        return publisher(broker.port(), Duration.ofSeconds(10));
    }

    private MqttPublisher publisher(int port, Duration keepAlive) throws Exception {
        MqttSettings mqtt = new MqttSettings(
                URI.create("tcp://127.0.0.1:" + port),
                new SecretRef.File(dir.resolve("password")),
                keepAlive,
                Duration.ofSeconds(2),
                Duration.ofMillis(100),
                Duration.ofMillis(400),
                java.util.Optional.empty());
        OutboxSettings settings = new OutboxSettings(
                java.util.Optional.of(dir.resolve("outbox")),
                OutboxSettings.defaults().maxBytes(),
                Duration.ofHours(2),
                OutboxSettings.Fsync.INTERVAL,
                Duration.ofMillis(200));
        AgentConfig config = new AgentConfig(
                AGENT,
                SITE,
                mqtt,
                new PublishSettings(Duration.ofMillis(100), Duration.ofMinutes(10), 10_000),
                settings,
                CommandSettings.defaults(),
                new MetricsSettings("127.0.0.1", 0),
                Map.of(),
                List.of(TestDevices.cgminer(
                        "m1", "luxor/luxos", "127.0.0.1", 4028, Duration.ofSeconds(5), Duration.ofSeconds(2))));
        Outbox outbox = SegmentOutbox.open(
                dir.resolve("outbox"),
                10_000,
                settings.maxBytes().bytes(),
                0,
                settings.fsync(),
                200,
                Clock.systemUTC());
        MqttPublisher publisher = new MqttPublisher(
                config,
                List.of(new BirthDevice("m1", DeviceKind.DEVICE_KIND_MINER, "luxor/luxos", 3250, List.of())),
                telemetry,
                "secret".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(30),
                Clock.systemUTC(),
                new SimpleMeterRegistry(),
                command -> {},
                outbox);
        closeables.add(publisher);
        publisher.start();
        return publisher;
    }

    private void poll(double power) {
        telemetry.polled(
                "m1",
                new PollResult(
                        Instant.now(),
                        DeviceHealth.DEVICE_HEALTH_ONLINE,
                        "",
                        "",
                        new DeviceIdentity("Antminer S19 XP", "LUXminer 2025.4.8"),
                        List.of(Reading.of("power", "", power))));
    }

    /** Polls a new value and waits until the publisher has kept it (one more record in the outbox). */
    private void pollOffline(MqttPublisher publisher, double power) {
        int before = publisher.unackedCount();
        poll(power);
        await().atMost(WAIT).until(() -> publisher.unackedCount() > before);
    }

    private static double power(Data data) {
        return data.getValueCount() == 0 ? Double.NaN : data.getValue(0);
    }

    @Test
    void controllerUnreachable_batchesKeptOnDisk_replayedInOrderAsHistory_nothingLost() throws Exception {
        MqttPublisher publisher = publisher();
        poll(3000);
        await().atMost(WAIT).until(() -> !controller.data().isEmpty());
        Data live = controller.data().get(0);
        controller.ack(AGENT, publisher.bootId(), live.getSeq());
        await().atMost(WAIT).until(() -> publisher.unackedCount() == 0);

        broker.stop();
        await().atMost(WAIT).until(() -> !publisher.connected());
        List<Double> polled = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            pollOffline(publisher, 3000 + i);
            polled.add(3000.0 + i);
        }
        assertThat(publisher.outboxSnapshot().durable()).isTrue();
        assertThat(publisher.outboxSnapshot().depth()).isEqualTo(20);
        broker.start();

        await().atMost(WAIT)
                .until(() ->
                        controller.data().stream().filter(Data::getHistorical).count() >= 20);
        List<Data> history =
                controller.data().stream().filter(Data::getHistorical).toList();
        assertThat(history).extracting(OutboxOutageIT::power).containsExactlyElementsOf(polled);
        List<Long> seqs = history.stream().map(Data::getSeq).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        assertThat(seqs.get(19) - seqs.get(0))
                .as("no gap: seqs are consecutive")
                .isEqualTo(19);
        Birth reborn = controller.births().get(controller.births().size() - 1);
        assertThat(reborn.getPendingFromSeq()).isEqualTo(seqs.get(0));
        assertThat(publisher.outboxSnapshot().dropped().values()).allMatch(n -> n == 0);

        controller.ack(AGENT, publisher.bootId(), seqs.get(19));
        await().atMost(WAIT).until(() -> publisher.unackedCount() <= 1); // the live batch after the Birth
    }

    @Test
    void agentRestarted_earlierBootsRecordsReplayedAsHistory_releasedByItsAck_itsRebirthRequestNotAnswered()
            throws Exception {
        MqttPublisher first = publisher();
        poll(3000);
        await().atMost(WAIT).until(() -> !controller.data().isEmpty());
        poll(3001);
        await().atMost(WAIT).until(() -> controller.data().size() >= 2);
        long firstBoot = first.bootId();
        first.close(); // Nothing acked: both batches stay in the outbox on disk.

        MqttPublisher second = publisher();
        await().atMost(WAIT)
                .until(() -> controller.data().stream()
                                .filter(d -> d.getBootId() == firstBoot && d.getHistorical())
                                .count()
                        >= 2);
        assertThat(controller.births().get(controller.births().size() - 1).getBootId())
                .isEqualTo(second.bootId());
        assertThat(controller.data().stream()
                        .filter(d -> d.getBootId() == firstBoot && d.getHistorical())
                        .map(OutboxOutageIT::power))
                .containsExactly(3000.0, 3001.0);
        int births = controller.births().size();

        // The controller has no stream for the ended boot and might ask for a rebirth in its name.
        controller.askRebirth(AGENT, firstBoot, 0);
        long lastOfFirst = controller.data().stream()
                .filter(d -> d.getBootId() == firstBoot)
                .mapToLong(Data::getSeq)
                .max()
                .orElseThrow();
        controller.ack(AGENT, firstBoot, lastOfFirst);
        await().atMost(WAIT).until(() -> second.unackedCount() <= 1); // the first boot's records are released
        assertThat(controller.births()).as("no re-birth for an ended boot").hasSize(births);
    }

    /**
     * Fault matrix row 9 at the agent: a partition that swallows packets without a reset. Only the
     * MQTT keep-alive can notice; the agent must within 1.5 keep-alives (reference/RELIABILITY.md
     * §7, row 9), keep batching into the outbox meanwhile, and deliver it all after the heal.
     */
    @Test
    void partitionWithoutReset_detectedWithinOneAndAHalfKeepAlives_outboxDeliveredAfterTheHeal() throws Exception {
        Duration keepAlive = Duration.ofSeconds(2);
        BlackholeProxy proxy = new BlackholeProxy(broker.port());
        closeables.add(proxy);
        MqttPublisher publisher = publisher(proxy.port(), keepAlive);
        poll(3000);
        await().atMost(WAIT).until(() -> !controller.data().isEmpty());

        proxy.cut();
        long cutAt = System.nanoTime();
        poll(3001);
        await().atMost(WAIT).until(() -> !publisher.connected());
        Duration detected = Duration.ofNanos(System.nanoTime() - cutAt);
        pollOffline(publisher, 3002);
        proxy.heal();

        assertThat(detected)
                .as("partition detected after")
                .isLessThanOrEqualTo(keepAlive.multipliedBy(3).dividedBy(2));
        await().atMost(WAIT)
                .until(() -> controller.data().stream().anyMatch(d -> d.getHistorical() && power(d) == 3002.0));
        // Attempts made during the cut got no CONNACK and were given up after connect-timeout (Paho alone
        // would have waited forever); the first one after the heal is born, once.
        assertThat(proxy.acceptedConnections()).isGreaterThanOrEqualTo(2);
        assertThat(controller.births()).extracting(Birth::getSession).containsExactly(1L, 2L);
    }
}
