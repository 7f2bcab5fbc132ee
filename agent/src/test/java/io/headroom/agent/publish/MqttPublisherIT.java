package io.headroom.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.agent.AgentVersion;
import io.headroom.agent.TestDevices;
import io.headroom.agent.command.CommandExecutor;
import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.config.CommandSettings;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.config.MetricsSettings;
import io.headroom.agent.config.MqttSettings;
import io.headroom.agent.config.OutboxSettings;
import io.headroom.agent.config.PublishSettings;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.tls.TlsSetupException;
import io.headroom.config.SecretRef;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.DeviceStatus;
import io.headroom.protocol.wire.MetricDefinition;
import io.headroom.protocol.wire.MetricType;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.testkit.CuttableTcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher against a real broker (Debian mosquitto), with a fake controller on the other
 * side. Readings go in through the publisher's seam, {@link TelemetryBuffer#polled}; no driver.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttPublisherIT {
    private static final String SITE = "s1";
    private static final String AGENT = "rack-1";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private FakeController controller;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TelemetryBuffer telemetry = new TelemetryBuffer(List.of("m1", "m2"));
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

    private MqttPublisher publisher(int port, int maxUnacked, Consumer<MqttPublisher.IncomingCommand> commands) {
        MqttSettings mqtt = new MqttSettings(
                URI.create("tcp://127.0.0.1:" + port),
                new SecretRef.File(dir.resolve("password")),
                Duration.ofSeconds(10),
                Duration.ofSeconds(2),
                Duration.ofMillis(100),
                Duration.ofMillis(400));
        AgentConfig config = new AgentConfig(
                AGENT,
                SITE,
                mqtt,
                new PublishSettings(Duration.ofMillis(100), Duration.ofMinutes(10), maxUnacked),
                OutboxSettings.defaults(),
                CommandSettings.defaults(),
                new MetricsSettings("127.0.0.1", 0),
                Map.of(),
                List.of(device("m1"), device("m2")));
        List<BirthDevice> devices = List.of(
                new BirthDevice("m1", DeviceKind.DEVICE_KIND_MINER, "luxor/luxos", 3250, List.of()),
                new BirthDevice("m2", DeviceKind.DEVICE_KIND_MINER, "luxor/luxos", 3250, List.of()));
        MqttPublisher publisher;
        try {
            publisher = new MqttPublisher(
                    config,
                    devices,
                    telemetry,
                    "secret".getBytes(StandardCharsets.UTF_8),
                    Duration.ofSeconds(30),
                    Clock.systemUTC(),
                    registry,
                    commands);
        } catch (TlsSetupException e) {
            throw new AssertionError("a tcp:// URL reads no TLS files", e);
        }
        closeables.add(publisher);
        publisher.start();
        return publisher;
    }

    private MqttPublisher publisher(int maxUnacked) {
        return publisher(broker.port(), maxUnacked, command -> {});
    }

    private static DeviceConfig device(String id) {
        return TestDevices.cgminer(id, "luxor/luxos", "127.0.0.1", 4028, Duration.ofSeconds(5), Duration.ofSeconds(2));
    }

    private void poll(String device, Reading... readings) {
        telemetry.polled(
                device,
                new PollResult(
                        Instant.now(),
                        DeviceHealth.DEVICE_HEALTH_ONLINE,
                        "",
                        "",
                        new DeviceIdentity("Antminer S19 XP", "LUXminer 2025.4.8"),
                        List.of(readings)));
    }

    private void offline(String device) {
        telemetry.polled(device, PollResult.offline(Instant.now(), "timeout", "no reply within 2000 ms"));
    }

    /** Both devices polled once: the first Birth goes out. */
    private Birth born(MqttPublisher publisher) {
        poll(
                "m1",
                Reading.of("power", "", 3010),
                Reading.of("hashrate", "", 140),
                Reading.of("temperature.chip", "board1", 68));
        offline("m2");
        await().atMost(WAIT)
                .until(() ->
                        !controller.births().isEmpty() && !controller.data().isEmpty());
        return controller.births().get(0);
    }

    /** Changes m1's power and waits for the Data that carries it. */
    private Data nextData(double power) {
        int before = controller.data().size();
        poll(
                "m1",
                Reading.of("power", "", power),
                Reading.of("hashrate", "", 140),
                Reading.of("temperature.chip", "board1", 68));
        await().atMost(WAIT).until(() -> controller.data().size() > before);
        return controller.data().get(controller.data().size() - 1);
    }

    /** Decodes a Data through the aliases the births declared: "device/metric/instance" → value. */
    private Map<String, Double> values(Data data) {
        Map<Integer, String> names = new HashMap<>();
        for (Birth birth : controller.births()) {
            for (DeviceDescriptor device : birth.getDevicesList()) {
                for (MetricDefinition metric : device.getMetricsList()) {
                    names.put(metric.getAlias(), device.getId() + "/" + metric.getName() + "/" + metric.getInstance());
                }
            }
        }
        Map<String, Double> values = new HashMap<>();
        for (int i = 0; i < data.getAliasCount(); i++) {
            values.put(names.get(data.getAlias(i)), data.getValue(i));
        }
        return values;
    }

    @Test
    void firstPolls_birthDeclaresEverything_thenDataDecodesToTheReadings() {
        MqttPublisher publisher = publisher(100);

        Birth birth = born(publisher);

        assertThat(controller.births())
                .as("the first Birth waited for every device's first poll")
                .hasSize(1);
        assertThat(birth.getAgentId()).isEqualTo(AGENT);
        assertThat(birth.getBootId()).isEqualTo(publisher.bootId()).isNotZero();
        assertThat(birth.getAgentVersion())
                .as("from the build")
                .isEqualTo(AgentVersion.current())
                .isNotEqualTo(AgentVersion.UNKNOWN);
        assertThat(birth.getSeq()).isEqualTo(1);
        assertThat(birth.getSession()).isEqualTo(1);
        assertThat(birth.getPendingFromSeq()).as("nothing pending: its own seq").isEqualTo(1);
        assertThat(birth.getDevicesList()).extracting(DeviceDescriptor::getId).containsExactly("m1", "m2");
        DeviceDescriptor m1 = birth.getDevices(0);
        assertThat(m1.getKind()).isEqualTo(DeviceKind.DEVICE_KIND_MINER);
        assertThat(m1.getModel()).isEqualTo("Antminer S19 XP");
        assertThat(m1.getFirmware()).isEqualTo("LUXminer 2025.4.8");
        assertThat(m1.getProfile()).isEqualTo("luxor/luxos");
        assertThat(m1.getNameplatePowerW()).isEqualTo(3250);
        assertThat(m1.getMetricsList())
                .extracting(
                        MetricDefinition::getName,
                        MetricDefinition::getInstance,
                        MetricDefinition::getUnit,
                        MetricDefinition::getType)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("power", "", "W", MetricType.METRIC_TYPE_GAUGE),
                        org.assertj.core.groups.Tuple.tuple("hashrate", "", "TH/s", MetricType.METRIC_TYPE_GAUGE),
                        org.assertj.core.groups.Tuple.tuple(
                                "temperature.chip", "board1", "°C", MetricType.METRIC_TYPE_GAUGE));
        assertThat(birth.getDevicesList().stream()
                        .flatMap(d -> d.getMetricsList().stream())
                        .map(MetricDefinition::getAlias))
                .as("aliases unique across the agent")
                .doesNotHaveDuplicates();
        assertThat(birth.getDevices(1).getModel())
                .as("never answered: model unknown")
                .isEmpty();
        assertThat(birth.getDevices(1).getMetricsList()).isEmpty();

        Data data = controller.data().get(0);
        assertThat(data.getSeq()).isEqualTo(2);
        assertThat(data.getHistorical()).isFalse();
        assertThat(values(data))
                .containsOnly(
                        Map.entry("m1/power/", 3010.0),
                        Map.entry("m1/hashrate/", 140.0),
                        Map.entry("m1/temperature.chip/board1", 68.0));
        assertThat(data.getQualityCount()).as("all good: no quality column").isZero();
        assertThat(data.getStatusList())
                .extracting(DeviceStatus::getDeviceId, DeviceStatus::getHealth, DeviceStatus::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""),
                        org.assertj.core.groups.Tuple.tuple("m2", DeviceHealth.DEVICE_HEALTH_OFFLINE, "timeout"));

        Data change = nextData(2990);
        assertThat(values(change)).as("report by exception").containsOnly(Map.entry("m1/power/", 2990.0));
        assertThat(change.getStatusCount()).as("health unchanged").isZero();
        assertThat(registry.get("headroom.agent.messages.published")
                        .tag("kind", "birth")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void newMetricAfterBirth_newBirthDeclaresIt_beforeTheDataThatUsesIt() {
        MqttPublisher publisher = publisher(100);
        born(publisher);

        poll(
                "m1",
                Reading.of("power", "", 3010),
                Reading.of("hashrate", "", 140),
                Reading.of("temperature.chip", "board1", 68),
                Reading.of("temperature.chip", "board2", 71));

        await().atMost(WAIT)
                .until(() ->
                        controller.births().size() == 2 && controller.data().size() >= 2);
        Birth second = controller.births().get(1);
        assertThat(second.getBootId()).isEqualTo(publisher.bootId());
        assertThat(second.getSession()).isEqualTo(1);
        assertThat(second.getDevices(0).getMetricsList())
                .extracting(MetricDefinition::getInstance)
                .contains("board1", "board2");
        int birthAt = controller.received.indexOf(second);
        Data data = controller.data().get(1);
        assertThat(controller.received.indexOf(data)).isGreaterThan(birthAt);
        assertThat(data.getSeq()).isEqualTo(second.getSeq() + 1);
        assertThat(values(data)).containsEntry("m1/temperature.chip/board2", 71.0);
        assertThat(data.getStatusList())
                .as("every status in the first Data after a Birth")
                .extracting(DeviceStatus::getDeviceId)
                .containsExactly("m1", "m2");
    }

    @Test
    void unacked_stayUntilAcked_ackThroughNForgetsUpToN() throws Exception {
        MqttPublisher publisher = publisher(100);
        born(publisher);
        Data second = nextData(3001);
        Data third = nextData(3002);
        assertThat(publisher.unackedCount()).isEqualTo(3);

        controller.ack(AGENT, publisher.bootId() + 1, third.getSeq());
        controller.ack(AGENT, publisher.bootId(), second.getSeq());

        await().atMost(WAIT).until(() -> publisher.unackedCount() == 1);
        controller.ack(AGENT, publisher.bootId(), third.getSeq());
        await().atMost(WAIT).until(() -> publisher.unackedCount() == 0);
        assertThat(registry.get("headroom.outbox.depth").gauge().value()).isZero();
    }

    @Test
    void boundOfFive_dropsTheOldestTelemetry_keepsTheStatusBatch_countsIt_andResendsTheRest() throws Exception {
        MqttPublisher publisher = publisher(5);
        born(publisher);
        for (int i = 1; i <= 6; i++) {
            nextData(3000 + i);
        }
        List<Data> sent = controller.data();
        assertThat(sent).hasSize(7);

        // The controller may see the last Data before the publisher has kept it: wait for both.
        await().atMost(WAIT)
                .until(() -> publisher.unackedCount() == 5
                        && registry.get("headroom.outbox.dropped")
                                        .tag("reason", "max-records")
                                        .functionCounter()
                                        .count()
                                == 2);

        controller.askRebirth(AGENT, publisher.bootId(), 0);
        // 7 sent, 5 resent; then the first Data after the Birth, carrying every status.
        await().atMost(WAIT)
                .until(() ->
                        controller.births().size() == 2 && controller.data().size() >= 12);
        // The first Data carries the devices' statuses (high priority): the two oldest telemetry-only
        // batches went instead.
        assertThat(sent.get(0).getStatusCount()).isPositive();
        assertThat(controller.births().get(1).getPendingFromSeq())
                .isEqualTo(sent.get(0).getSeq());
        List<Data> resent = controller.data().subList(7, 12);
        assertThat(resent)
                .extracting(Data::getSeq)
                .containsExactly(
                        sent.get(0).getSeq(),
                        sent.get(3).getSeq(),
                        sent.get(4).getSeq(),
                        sent.get(5).getSeq(),
                        sent.get(6).getSeq());
        assertThat(resent).allMatch(Data::getHistorical);
    }

    @Test
    void rebirthAck_freshBirthSameBoot_thenPendingResentInOrderAsHistorical() throws Exception {
        MqttPublisher publisher = publisher(100);
        Birth first = born(publisher);
        Data d1 = controller.data().get(0);
        Data d2 = nextData(3001);

        controller.askRebirth(AGENT, publisher.bootId(), 0);

        await().atMost(WAIT)
                .until(() ->
                        controller.births().size() == 2 && controller.data().size() >= 4);
        Birth again = controller.births().get(1);
        assertThat(again.getBootId()).isEqualTo(first.getBootId());
        assertThat(again.getSession()).isEqualTo(1);
        assertThat(again.getSeq()).isGreaterThan(d2.getSeq());
        assertThat(again.getPendingFromSeq()).isEqualTo(d1.getSeq());
        List<Object> after = controller.received.subList(
                controller.received.indexOf(again) + 1, controller.received.indexOf(again) + 3);
        assertThat(after).extracting(m -> ((Data) m).getSeq()).containsExactly(d1.getSeq(), d2.getSeq());
        assertThat(after).allMatch(m -> ((Data) m).getHistorical());
        assertThat(values((Data) after.get(1))).isEqualTo(values(d2));
    }

    @Test
    void brokerRestart_reconnectsWithBackoff_rebirthsNextSession_resendsUnackedInOrder_nothingLost() throws Exception {
        MqttPublisher publisher = publisher(100);
        born(publisher);
        Data d1 = controller.data().get(0);
        Data d2 = nextData(3001);
        Data d3 = nextData(3002);
        controller.ack(AGENT, publisher.bootId(), d1.getSeq());
        await().atMost(WAIT).until(() -> publisher.unackedCount() == 2);

        broker.stop();
        await().atMost(WAIT).until(() -> !publisher.connected());
        // Polling goes on while disconnected; its batches are kept and replayed as history.
        poll(
                "m1",
                Reading.of("power", "", 2500),
                Reading.of("hashrate", "", 140),
                Reading.of("temperature.chip", "board1", 68));
        poll(
                "m1",
                Reading.of("power", "", 2400),
                Reading.of("hashrate", "", 140),
                Reading.of("temperature.chip", "board1", 68));
        broker.start();

        await().atMost(WAIT)
                .until(() -> controller.births().size() == 2
                        && controller.data().stream().anyMatch(d -> !d.getHistorical() && d.getSeq() > d3.getSeq()));
        Birth reborn = controller.births().get(1);
        assertThat(reborn.getSession()).isEqualTo(2);
        assertThat(reborn.getBootId()).isEqualTo(publisher.bootId());
        assertThat(reborn.getPendingFromSeq()).isEqualTo(d2.getSeq());
        List<Object> after =
                controller.received.subList(controller.received.indexOf(reborn) + 1, controller.received.size());
        List<Data> afterData = after.stream()
                .filter(Data.class::isInstance)
                .map(Data.class::cast)
                .toList();
        int firstLive = 0;
        while (afterData.get(firstLive).getHistorical()) {
            firstLive++;
        }
        List<Data> replayed = afterData.subList(0, firstLive);
        assertThat(replayed).hasSizeGreaterThanOrEqualTo(2);
        assertThat(List.of(replayed.get(0).getSeq(), replayed.get(1).getSeq()))
                .containsExactly(d2.getSeq(), d3.getSeq());
        assertThat(values(replayed.get(1))).isEqualTo(values(d3));
        assertThat(replayed).extracting(Data::getSeq).isSorted();
        Data fresh = afterData.get(firstLive);
        assertThat(fresh.getStatusList()).as("every status after the Birth").hasSize(2);
        assertThat(afterData)
                .as("what was polled during the outage arrives, as history or as the first live batch")
                .anySatisfy(d -> assertThat(values(d)).containsEntry("m1/power/", 2400.0));
        // Every seq the agent used reached the controller, birth seqs included.
        assertThat(controller.seqs())
                .containsAll(java.util.stream.LongStream.rangeClosed(1, fresh.getSeq())
                        .boxed()
                        .toList());
        assertThat(registry.get("headroom.agent.mqtt.reconnects").counter().count())
                .isEqualTo(1);
        // Mosquitto 2.0 publishes the Will of every connected client when it shuts down (seen here
        // with 2.0.11; eclipse-mosquitto/mosquitto#3147), so the lost connection's Death may arrive,
        // even twice (QoS 1). It must name session 1 only: it cannot retire the new session.
        assertThat(controller.deaths()).allSatisfy(death -> {
            assertThat(death.getBootId()).isEqualTo(publisher.bootId());
            assertThat(death.getSession()).isEqualTo(1);
            assertThat(death.getReason())
                    .as("the broker's Will, not the agent's goodbye")
                    .isEmpty();
        });

        // The new session's Birth is followed by a Data carrying every status, which may still be on
        // its way: like the controller, ack whatever is the highest seq seen until nothing is left.
        await().atMost(WAIT).until(() -> {
            controller.ack(
                    AGENT,
                    publisher.bootId(),
                    controller.seqs().stream().mapToLong(Long::longValue).max().orElseThrow());
            return publisher.unackedCount() == 0;
        });
    }

    @Test
    void connectionCutWithoutDisconnect_brokerPublishesTheWill_withThatConnectionsSession() throws Exception {
        CuttableTcpProxy proxy = new CuttableTcpProxy(broker.port());
        closeables.add(proxy);
        MqttPublisher publisher = publisher(proxy.port(), 100, command -> {});
        born(publisher);

        proxy.cutAll();

        await().atMost(WAIT).until(() -> !controller.deaths().isEmpty());
        Death will = controller.deaths().get(0);
        assertThat(will.getAgentId()).isEqualTo(AGENT);
        assertThat(will.getBootId()).isEqualTo(publisher.bootId());
        assertThat(will.getSession()).isEqualTo(1);
        assertThat(will.getReason())
                .as("published by the broker, not the agent")
                .isEmpty();
        await().atMost(WAIT).until(() -> controller.births().size() == 2);
        assertThat(controller.births().get(1).getSession()).isEqualTo(2);

        proxy.cutAll();
        await().atMost(WAIT).until(() -> controller.deaths().size() == 2);
        assertThat(controller.deaths().get(1).getSession()).isEqualTo(2);
    }

    @Test
    void connectionCutDuringABurst_reconnectsOnce_noTakeoverWill() throws Exception {
        CuttableTcpProxy proxy = new CuttableTcpProxy(broker.port());
        closeables.add(proxy);
        MqttPublisher publisher = publisher(proxy.port(), 10_000, command -> {});
        born(publisher);

        // A backlog far beyond the in-flight window: publishes are queued and in flight when the cut comes.
        for (int i = 0; i < 3_000; i++) {
            publisher.publishResult(Result.newBuilder()
                    .setCommandId("c" + i)
                    .setDeviceId("m1")
                    .setStatus(ResultStatus.RESULT_STATUS_REJECTED)
                    .setReason("expired"));
        }
        await().atMost(WAIT).until(() -> controller.results().size() >= 50);
        proxy.cutAll();

        // Paho's receiver thread of the cut client can die with an NPE when a PUBACK it already read
        // races the client's close (ClientState.releaseMessageId after close); that client is discarded.
        await().dontCatchUncaughtExceptions()
                .atMost(WAIT)
                .until(() -> controller.births().size() == 2);
        await().dontCatchUncaughtExceptions()
                .during(Duration.ofSeconds(2))
                .atMost(WAIT)
                .until(() -> proxy.acceptedConnections() == 2);
        assertThat(controller.births().get(1).getSession()).isEqualTo(2);
        assertThat(controller.deaths())
                .as("only the Will of the cut connection")
                .extracting(Death::getSession)
                .containsExactly(1L);
        // More unacked than mosquitto's Receive Maximum (20): resent under flow control, none lost.
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(controller.results().stream()
                                .map(Result::getCommandId)
                                .distinct()
                                .count())
                        .as("distinct results that reached the controller")
                        .isEqualTo(3_000));
        // The new session's Birth is followed by a Data carrying every status, which may still be on
        // its way: like the controller, ack whatever is the highest seq seen until nothing is left.
        await().atMost(WAIT).until(() -> {
            controller.ack(
                    AGENT,
                    publisher.bootId(),
                    controller.seqs().stream().mapToLong(Long::longValue).max().orElseThrow());
            return publisher.unackedCount() == 0;
        });
    }

    @Test
    void publishResult_getsTheNextSeq_andStaysUnackedUntilAcked() throws Exception {
        MqttPublisher publisher = publisher(100);
        born(publisher);
        Data d2 = nextData(3001);
        controller.ack(AGENT, publisher.bootId(), d2.getSeq());
        await().atMost(WAIT).until(() -> publisher.unackedCount() == 0);

        publisher.publishResult(Result.newBuilder()
                .setCommandId("c1")
                .setDeviceId("m1")
                .setStatus(ResultStatus.RESULT_STATUS_APPLIED)
                .setReadBack(2500));
        Data d4 = nextData(3002);

        await().atMost(WAIT).until(() -> !controller.results().isEmpty());
        Result result = controller.results().get(0);
        assertThat(result.getBootId()).isEqualTo(publisher.bootId());
        assertThat(result.getSeq()).isEqualTo(d2.getSeq() + 1);
        assertThat(d4.getSeq()).isEqualTo(result.getSeq() + 1);
        assertThat(result.getCommandId()).isEqualTo("c1");
        assertThat(result.getStatus()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(result.getReadBack()).isEqualTo(2500);
        assertThat(result.getTimestampMs()).isPositive();
        assertThat(controller.seqs())
                .as("one stream: Birth, Data and Result seqs grow by one")
                .containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(publisher.unackedCount()).isEqualTo(2);

        controller.ack(AGENT, publisher.bootId(), result.getSeq());
        await().atMost(WAIT).until(() -> publisher.unackedCount() == 1);
        controller.ack(AGENT, publisher.bootId(), d4.getSeq());
        await().atMost(WAIT).until(() -> publisher.unackedCount() == 0);
    }

    @Test
    void commandWithMessageExpiry_reachesTheConsumer_withPayloadAndRemainingExpiry() throws Exception {
        List<MqttPublisher.IncomingCommand> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        MqttPublisher publisher = publisher(broker.port(), 100, received::add);
        born(publisher);
        Command command = Command.newBuilder()
                .setCommandId("cmd-7")
                .setDeviceId("m2")
                .setVerb(Verb.VERB_SET_POWER_TARGET)
                .setValue(2800)
                .setIssuedAtMs(System.currentTimeMillis())
                .setTtlMs(30_000)
                .setVersion(3)
                .build();

        long before = System.nanoTime();
        controller.command(AGENT, command, 30L);

        await().atMost(WAIT).until(() -> !received.isEmpty());
        MqttPublisher.IncomingCommand incoming = received.get(0);
        assertThat(io.headroom.protocol.WireCodec.decode(incoming.payload(), Command.class))
                .isEqualTo(command);
        assertThat(incoming.expiryIntervalSeconds())
                .as("mosquitto forwards the remaining lifetime")
                .isNotNull()
                .isBetween(1L, 30L);
        assertThat(incoming.receivedNanos()).isBetween(before, System.nanoTime());
        assertThat(received).hasSize(1);
    }

    @Test
    void close_publishesShutdownDeath_thenDisconnects() throws Exception {
        MqttPublisher publisher = publisher(100);
        born(publisher);

        publisher.close();
        publisher.close();

        await().atMost(WAIT).until(() -> !controller.deaths().isEmpty());
        assertThat(controller.deaths().get(0).getReason()).isEqualTo("shutdown");
        assertThat(controller.deaths().get(0).getSession()).isEqualTo(1);
        assertThat(publisher.connected()).isFalse();
    }

    @Test
    void retainedControllerState_isExposed_malformedAckCountedAndDropped() throws Exception {
        controller.state(ControllerState.newBuilder()
                .setOnline(true)
                .setControllerId("c1")
                .setLeaseMs(90_000)
                .setTimestampMs(System.currentTimeMillis())
                .build());
        MqttPublisher publisher = publisher(100);
        born(publisher);

        await().atMost(WAIT).until(publisher::controllerOnline);
        assertThat(publisher.controllerLease()).isEqualTo(Duration.ofSeconds(90));
        assertThat(publisher.controllerStateReceipt())
                .hasValueSatisfying(
                        receipt -> assertThat(receipt.state().getControllerId()).isEqualTo("c1"));
        // Received on the agent's monotonic clock: the 90 s lease holds from receipt.
        assertThat(new io.headroom.agent.command.LeaseWatch(publisher::controllerStateReceipt, System::nanoTime)
                        .status())
                .isEqualTo(io.headroom.agent.command.LeaseWatch.Status.VALID);

        controller.raw(AGENT, TopicKind.ACK, new byte[] {(byte) 0xff, 0x01});
        await().atMost(WAIT)
                .until(() -> registry.get("headroom.agent.messages.malformed")
                                .tag("kind", "ack")
                                .counter()
                                .count()
                        == 1);
        Data after = nextData(2000);
        assertThat(values(after)).containsEntry("m1/power/", 2000.0);
        assertThat(publisher.connected()).isTrue();
    }

    @Test
    void command_overTheWire_acceptedThenAppliedWithReadBack_repeatAnsweredNotRerun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        MqttPublisher[] publisher = new MqttPublisher[1];
        CommandExecutor executor = new CommandExecutor(
                TestDevices.capabilities("luxor/luxos", "m1", "m2"),
                (device, verb, value, instance, deadline) -> {
                    runs.incrementAndGet();
                    return CompletableFuture.completedFuture(new CommandOutcome(
                            ResultStatus.RESULT_STATUS_APPLIED, "", "confirmed", OptionalDouble.of(0)));
                },
                result -> publisher[0].publishResult(result),
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                Clock.systemUTC(),
                System::nanoTime,
                registry);
        closeables.add(executor);
        publisher[0] = publisher(
                broker.port(),
                100,
                in -> executor.receive(in.payload(), in.receivedNanos(), in.expiryIntervalSeconds()));
        born(publisher[0]);
        Command sleep = Command.newBuilder()
                .setCommandId("cmd-1")
                .setDeviceId("m1")
                .setVerb(Verb.VERB_SLEEP)
                .setIssuedAtMs(System.currentTimeMillis())
                .setTtlMs(30_000)
                .setVersion(1)
                .build();

        controller.command(AGENT, sleep, 30L);
        await().atMost(WAIT).until(() -> controller.results().size() == 2);
        controller.command(AGENT, sleep, 30L);
        await().atMost(WAIT).until(() -> controller.results().size() == 3);

        List<Result> results = controller.results();
        assertThat(results)
                .extracting(Result::getStatus)
                .containsExactly(
                        ResultStatus.RESULT_STATUS_ACCEPTED,
                        ResultStatus.RESULT_STATUS_APPLIED,
                        ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.getBootId()).isEqualTo(publisher[0].bootId());
            assertThat(result.getCommandId()).isEqualTo("cmd-1");
            assertThat(result.getDeviceId()).isEqualTo("m1");
            assertThat(result.getTimestampMs()).isPositive();
        });
        assertThat(results.get(1).getReadBack()).isZero();
        assertThat(results).extracting(Result::getSeq).doesNotHaveDuplicates().isSorted();
        assertThat(runs).hasValue(1);
        assertThat(publisher[0].unackedCount())
                .as("results wait for an ack like data")
                .isGreaterThanOrEqualTo(4);
    }
}
