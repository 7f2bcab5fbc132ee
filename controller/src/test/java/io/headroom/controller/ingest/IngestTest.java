package io.headroom.controller.ingest;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.metric;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.powerTarget;
import static io.headroom.controller.ingest.WireFixtures.status;
import static io.headroom.controller.ingest.WireFixtures.verb;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.store.DeviceCapability;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.controller.store.OwnershipRelease;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.MetricDefinition;
import io.headroom.protocol.wire.MetricType;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IngestTest {

    private static final String SITE = "demo";
    private static final String AGENT = "rack-1";
    private static final long BOOT = 77;
    private static final long T0 = 1_700_000_000_000L;

    private final SteppableClock clock = new SteppableClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final StateStore store = new StateStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final List<Result> results = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Ingest ingest;

    @BeforeEach
    void setUp() {
        ingest = new Ingest(SITE, store, publisher, (agent, result) -> results.add(result), clock, registry);
    }

    private void send(String agent, TopicKind kind, Message message) {
        sendBytes(agent, kind, WireCodec.encode(message));
    }

    private void sendBytes(String agent, TopicKind kind, byte[] bytes) {
        ingest.agentMessage(Topics.agent(SITE, agent, kind), ByteBuffer.wrap(bytes));
    }

    /** Connects AGENT and sends a birth (seq 1, session 1) with miner m1 (aliases 10..13). */
    private void connectAndBirth() {
        ingest.agentConnected(AGENT);
        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT, 1, 1).addDevices(miner("m1", 10)).build());
    }

    private DeviceView m1() {
        return store.device("m1").orElseThrow();
    }

    private double counter(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void birth_newAgent_registersDevicesStaleAwaitingDataAndAcksBirthSeq() {
        connectAndBirth();

        DeviceView device = m1();
        assertThat(device.agent()).isEqualTo(AGENT);
        assertThat(device.kind()).isEqualTo("miner");
        assertThat(device.model()).isEqualTo("Antminer S19 XP");
        assertThat(device.nameplatePowerW()).isEqualTo(3010);
        assertThat(device.nameplateHashrateThs()).isEqualTo(140);
        assertThat(device.status()).isEqualTo(DeviceState.STALE);
        assertThat(device.statusReason()).isEqualTo("awaiting-data");
        assertThat(device.metrics()).isEmpty();
        Ack ack = publisher.lastAck();
        assertThat(ack.getBootId()).isEqualTo(BOOT);
        assertThat(ack.getSeq()).isEqualTo(1);
        assertThat(ack.getRebirth()).isFalse();
        assertThat(publisher.all().get(0).topic()).isEqualTo(Topics.agent(SITE, AGENT, TopicKind.ACK));
        assertThat(counter("headroom.ingest.messages", "kind", "birth", "outcome", "accepted"))
                .isEqualTo(1);
    }

    @Test
    void data_afterBirth_updatesValuesUnitsTimesQualityAndStatus() {
        connectAndBirth();

        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0)
                        .addAlias(10)
                        .addValue(3250.5)
                        .addOffsetMs(0)
                        .addQuality(Quality.QUALITY_GOOD)
                        .addAlias(11)
                        .addValue(140.2)
                        .addOffsetMs(-200)
                        .addQuality(Quality.QUALITY_UNCERTAIN)
                        .addAlias(12)
                        .addValue(71)
                        .addOffsetMs(5)
                        .addQuality(Quality.QUALITY_BAD)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_DEGRADED, "board-missing"))
                        .build());

        DeviceView device = m1();
        assertThat(device.status()).isEqualTo(DeviceState.DEGRADED);
        assertThat(device.statusReason()).isEqualTo("board-missing");
        assertThat(device.statusSince()).isEqualTo(clock.instant());
        assertThat(device.metric("power"))
                .isEqualTo(new MetricReading(3250.5, "W", Instant.ofEpochMilli(T0), Quality.QUALITY_GOOD));
        assertThat(device.metric("hashrate"))
                .isEqualTo(new MetricReading(140.2, "TH/s", Instant.ofEpochMilli(T0 - 200), Quality.QUALITY_UNCERTAIN));
        assertThat(device.metric("temperature.chip[board1]"))
                .isEqualTo(new MetricReading(71, "°C", Instant.ofEpochMilli(T0 + 5), Quality.QUALITY_BAD));
        assertThat(device.metrics()).doesNotContainKey("temperature.chip[board2]");
        assertThat(publisher.lastAck().getSeq()).isEqualTo(2);
        assertThat(counter("headroom.ingest.samples", "outcome", "applied")).isEqualTo(3);
    }

    @Test
    void data_withoutOffsetsOrQualities_usesBaseTimeAndGood() {
        connectAndBirth();

        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0)
                        .addAlias(10)
                        .addValue(1000)
                        .addAlias(11)
                        .addValue(90)
                        .build());

        assertThat(m1().metric("power").at()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(m1().metric("hashrate").quality()).isEqualTo(Quality.QUALITY_GOOD);
    }

    @Test
    void data_duplicateSeq_droppedAndReacked() {
        connectAndBirth();
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0).addAlias(10).addValue(3000).build());

        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0 + 1000).addAlias(10).addValue(1).build());

        assertThat(m1().metric("power").value()).isEqualTo(3000);
        assertThat(publisher.acks()).hasSize(3);
        assertThat(publisher.lastAck().getSeq()).isEqualTo(2);
        assertThat(publisher.lastAck().getRebirth()).isFalse();
        assertThat(counter("headroom.ingest.messages", "kind", "data", "outcome", "duplicate"))
                .isEqualTo(1);
    }

    @Test
    void data_seqGap_dataKeptAndRebirthRequested() {
        connectAndBirth();
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0).addAlias(10).addValue(3000).build());

        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 4, T0 + 2000).addAlias(10).addValue(3100).build());

        assertThat(m1().metric("power").value()).isEqualTo(3100);
        Ack ack = publisher.lastAck();
        assertThat(ack.getRebirth()).isTrue();
        assertThat(ack.getRebirthReason()).isEqualTo("sequence-gap");
        assertThat(ack.getSeq()).isEqualTo(2);
        assertThat(counter("headroom.ingest.rebirth.requests", "reason", "sequence-gap"))
                .isEqualTo(1);
    }

    @Test
    void rebirth_afterGap_resendFillsHoleAndAckCoversEverything() {
        connectAndBirth();
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0).addAlias(10).addValue(3000).build());
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 4, T0 + 2000).addAlias(10).addValue(3100).build());

        // The agent still holds 3 and 4 unacked: it rebirths with pending_from_seq 3 and resends them.
        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT, 5, 1)
                        .setPendingFromSeq(3)
                        .addDevices(miner("m1", 10))
                        .build());
        assertThat(publisher.lastAck().getSeq()).isEqualTo(2);
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 3, T0 + 1000).addAlias(10).addValue(3050).build());
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 4, T0 + 2000).addAlias(10).addValue(3100).build());

        assertThat(publisher.lastAck().getSeq()).isEqualTo(5);
        assertThat(m1().metric("power").value()).isEqualTo(3100);
        assertThat(counter("headroom.ingest.sequence.lost")).isZero();
    }

    @Test
    void birth_afterReconnect_withPendingFromSeq_resumesCountingAndCountsLost() {
        connectAndBirth();
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0).addAlias(10).addValue(3000).build());
        ingest.agentDisconnected(AGENT, false);
        ingest.agentConnected(AGENT);

        // The agent gave up on 3..7 (outbox overflow) and still holds 8 and 9.
        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT, 10, 2)
                        .setPendingFromSeq(8)
                        .addDevices(miner("m1", 10))
                        .build());
        assertThat(publisher.lastAck().getSeq()).isEqualTo(7);
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 8, T0 + 6000).addAlias(10).addValue(3300).build());
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 9, T0 + 7000).addAlias(10).addValue(3400).build());

        assertThat(publisher.lastAck().getSeq()).isEqualTo(10);
        assertThat(publisher.lastAck().getRebirth()).isFalse();
        assertThat(counter("headroom.ingest.sequence.lost")).isEqualTo(5);
        assertThat(m1().metric("power").value()).isEqualTo(3400);
    }

    @Test
    void birth_newBootId_resetsSequence() {
        connectAndBirth();
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0).addAlias(10).addValue(3000).build());
        ingest.agentDisconnected(AGENT, true);
        ingest.agentConnected(AGENT);

        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT + 1, 1, 1).addDevices(miner("m1", 10)).build());
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT + 1, 2, T0 + 9000).addAlias(10).addValue(2000).build());

        assertThat(publisher.lastAck().getBootId()).isEqualTo(BOOT + 1);
        assertThat(publisher.lastAck().getSeq()).isEqualTo(2);
        assertThat(m1().metric("power").value()).isEqualTo(2000);
    }

    @Test
    void data_unknownAlias_sampleSkippedOthersAppliedAndRebirthRequested() {
        connectAndBirth();

        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0)
                        .addAlias(10)
                        .addValue(3000)
                        .addAlias(99)
                        .addValue(5)
                        .build());

        assertThat(m1().metric("power").value()).isEqualTo(3000);
        Ack ack = publisher.lastAck();
        assertThat(ack.getRebirth()).isTrue();
        assertThat(ack.getRebirthReason()).isEqualTo("unknown-alias");
        assertThat(ack.getSeq()).isEqualTo(2);
        assertThat(counter("headroom.ingest.samples", "outcome", "unknown-alias"))
                .isEqualTo(1);
    }

    @Test
    void data_beforeBirth_droppedAndRebirthRequested() {
        ingest.agentConnected(AGENT);

        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 5, T0).addAlias(10).addValue(3000).build());

        assertThat(store.size()).isZero();
        Ack ack = publisher.lastAck();
        assertThat(ack.getRebirth()).isTrue();
        assertThat(ack.getRebirthReason()).isEqualTo("data-before-birth");
        assertThat(ack.getBootId()).isEqualTo(BOOT);
        assertThat(ack.getSeq()).isZero();
    }

    @Test
    void data_afterReconnectBeforeNewBirth_notAppliedNotAcked() {
        connectAndBirth();
        ingest.agentDisconnected(AGENT, false);
        ingest.agentConnected(AGENT);

        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0).addAlias(10).addValue(3000).build());

        assertThat(m1().metrics()).isEmpty();
        assertThat(publisher.lastAck().getRebirth()).isTrue();
        assertThat(publisher.lastAck().getSeq()).isEqualTo(1);
    }

    @Test
    void rebirthRequests_debouncedToOnePerTwoSeconds() {
        connectAndBirth();
        send(AGENT, TopicKind.DATA, data(BOOT, 3, T0).addAlias(10).addValue(1).build());
        send(AGENT, TopicKind.DATA, data(BOOT, 5, T0).addAlias(10).addValue(1).build());

        assertThat(publisher.acks()).filteredOn(Ack::getRebirth).hasSize(1);
        assertThat(publisher.lastAck().getRebirth()).isFalse();
        assertThat(counter("headroom.ingest.rebirth.suppressed")).isEqualTo(1);

        clock.advance(Duration.ofMillis(2000));
        send(AGENT, TopicKind.DATA, data(BOOT, 7, T0).addAlias(10).addValue(1).build());
        assertThat(publisher.acks()).filteredOn(Ack::getRebirth).hasSize(2);
    }

    @Test
    void data_historical_ackedButNotApplied() {
        connectAndBirth();
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0).addAlias(10).addValue(3000).build());

        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 3, T0 + 5000)
                        .setHistorical(true)
                        .addAlias(10)
                        .addValue(100)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_OFFLINE, "timeout"))
                        .build());

        assertThat(m1().metric("power").value()).isEqualTo(3000);
        assertThat(m1().statusReason()).isEqualTo("awaiting-data");
        assertThat(publisher.lastAck().getSeq()).isEqualTo(3);
        assertThat(counter("headroom.ingest.samples", "outcome", "historical")).isEqualTo(1);
    }

    @Test
    void restartedAgent_replaysItsEarlierBoot_asHistory_dedupedAndAckedInThatBootsName_neverARebirth() {
        connectAndBirth();
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0).addAlias(10).addValue(3000).build());
        ingest.agentDisconnected(AGENT, false);
        ingest.agentConnected(AGENT);
        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT + 1, 1, 1).addDevices(miner("m1", 10)).build());
        int acksBefore = publisher.all().size();

        // Seq 2 was taken in before the restart: a duplicate. Seq 3 is new. Seqs 4-5 were dropped by
        // the agent's outbox bound: a hole, settled, counted lost.
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0)
                        .setHistorical(true)
                        .addAlias(10)
                        .addValue(3000)
                        .build());
        assertThat(publisher.lastAck().getBootId()).isEqualTo(BOOT);
        assertThat(publisher.lastAck().getSeq()).isEqualTo(2);
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 3, T0 + 1000)
                        .setHistorical(true)
                        .addAlias(10)
                        .addValue(1)
                        .build());
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 3, T0 + 1000)
                        .setHistorical(true)
                        .addAlias(10)
                        .addValue(1)
                        .build());
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 6, T0 + 4000)
                        .setHistorical(true)
                        .addAlias(10)
                        .addValue(2)
                        .build());
        assertThat(publisher.lastAck().getBootId()).isEqualTo(BOOT);
        assertThat(publisher.lastAck().getSeq()).isEqualTo(6);
        send(
                AGENT,
                TopicKind.RESULT,
                Result.newBuilder()
                        .setBootId(BOOT)
                        .setSeq(7)
                        .setCommandId("c-before-restart")
                        .setDeviceId("m1")
                        .setStatus(ResultStatus.RESULT_STATUS_APPLIED)
                        .build());

        assertThat(publisher.lastAck().getSeq()).isEqualTo(7);
        assertThat(results).extracting(Result::getCommandId).containsExactly("c-before-restart");
        assertThat(publisher.all().subList(acksBefore, publisher.all().size()))
                .as("no rebirth request for a boot that has ended")
                .allSatisfy(message -> assertThat(
                                WireCodec.decode(message.payload(), Ack.class).getRebirth())
                        .isFalse());
        assertThat(counter("headroom.ingest.messages", "kind", "data", "outcome", "duplicate"))
                .isEqualTo(2);
        assertThat(counter("headroom.ingest.samples", "outcome", "historical")).isEqualTo(2);
        assertThat(counter("headroom.ingest.sequence.lost")).isEqualTo(2);
        assertThat(m1().metric("power").value())
                .as("history never drives live state: the last live reading stays")
                .isEqualTo(3000);

        // The new boot's own stream is untouched.
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT + 1, 2, T0 + 9000).addAlias(10).addValue(2500).build());
        assertThat(publisher.lastAck().getBootId()).isEqualTo(BOOT + 1);
        assertThat(publisher.lastAck().getSeq()).isEqualTo(2);
        assertThat(m1().metric("power").value()).isEqualTo(2500);
    }

    @Test
    void earlierBootThisControllerNeverSaw_isTakenInFromItsFirstReplayedRecord() {
        connectAndBirth();

        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT - 1, 40, T0)
                        .setHistorical(true)
                        .addAlias(10)
                        .addValue(1)
                        .build());
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT - 1, 40, T0)
                        .setHistorical(true)
                        .addAlias(10)
                        .addValue(1)
                        .build());

        assertThat(publisher.lastAck().getBootId()).isEqualTo(BOOT - 1);
        assertThat(publisher.lastAck().getSeq()).isEqualTo(40);
        assertThat(publisher.lastAck().getRebirth()).isFalse();
        assertThat(counter("headroom.ingest.messages", "kind", "data", "outcome", "duplicate"))
                .isEqualTo(1);
    }

    @Test
    void liveDataOfAnotherBoot_stillAsksForARebirth() {
        connectAndBirth();

        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT - 1, 40, T0).addAlias(10).addValue(1).build());

        assertThat(publisher.lastAck().getRebirth()).isTrue();
        assertThat(publisher.lastAck().getRebirthReason()).isEqualTo("unknown-boot");
    }

    @Test
    void data_olderSampleThanStored_notApplied() {
        connectAndBirth();
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0).addAlias(10).addValue(3000).build());

        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 3, T0 - 1).addAlias(10).addValue(1).build());

        assertThat(m1().metric("power").value()).isEqualTo(3000);
        assertThat(counter("headroom.ingest.samples", "outcome", "out-of-order"))
                .isEqualTo(1);
    }

    @Test
    void data_nonFiniteValue_skippedAndCounted() {
        connectAndBirth();

        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0)
                        .addAlias(10)
                        .addValue(Double.NaN)
                        .addAlias(11)
                        .addValue(Double.POSITIVE_INFINITY)
                        .addAlias(12)
                        .addValue(65)
                        .build());

        assertThat(m1().metrics()).containsOnlyKeys("temperature.chip[board1]");
        assertThat(counter("headroom.ingest.samples", "outcome", "non-finite")).isEqualTo(2);
    }

    @Test
    void death_currentSession_marksDevicesStaleAtOnce() {
        connectAndBirth();
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0)
                        .addAlias(10)
                        .addValue(3000)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build());
        clock.advance(Duration.ofSeconds(7));

        send(
                AGENT,
                TopicKind.DEATH,
                Death.newBuilder()
                        .setAgentId(AGENT)
                        .setBootId(BOOT)
                        .setSession(1)
                        .build());

        DeviceView device = m1();
        assertThat(device.status()).isEqualTo(DeviceState.STALE);
        assertThat(device.statusReason()).isEqualTo("agent-death");
        assertThat(device.statusSince()).isEqualTo(clock.instant());
        assertThat(device.metric("power").value()).isEqualTo(3000);
        assertThat(device.metric("power").at()).isEqualTo(Instant.ofEpochMilli(T0));
    }

    @Test
    void death_withShutdownReason_usesTheReason() {
        connectAndBirth();

        send(
                AGENT,
                TopicKind.DEATH,
                Death.newBuilder()
                        .setAgentId(AGENT)
                        .setBootId(BOOT)
                        .setSession(1)
                        .setReason("shutdown")
                        .build());

        assertThat(m1().statusReason()).isEqualTo("shutdown");
    }

    @Test
    void death_ofOlderSession_ignored() {
        connectAndBirth();
        ingest.agentConnected(AGENT);
        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT, 2, 2).addDevices(miner("m1", 10)).build());
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 3, T0)
                        .addAlias(10)
                        .addValue(3000)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build());

        send(
                AGENT,
                TopicKind.DEATH,
                Death.newBuilder()
                        .setAgentId(AGENT)
                        .setBootId(BOOT)
                        .setSession(1)
                        .build());

        assertThat(m1().status()).isEqualTo(DeviceState.ONLINE);
        assertThat(counter("headroom.ingest.messages", "kind", "death", "outcome", "ignored"))
                .isEqualTo(1);
    }

    @Test
    void disconnect_marksDevicesStale() {
        connectAndBirth();
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build());
        assertThat(ingest.connectedAgents()).isEqualTo(1);

        ingest.agentDisconnected(AGENT, false);

        assertThat(m1().status()).isEqualTo(DeviceState.STALE);
        assertThat(m1().statusReason()).isEqualTo("agent-disconnected");
        assertThat(ingest.connectedAgents()).isZero();
        assertThat(ingest.isConnected(AGENT)).isFalse();
    }

    @Test
    void disconnect_afterDeath_keepsTheDeathReason() {
        connectAndBirth();
        send(
                AGENT,
                TopicKind.DEATH,
                Death.newBuilder()
                        .setAgentId(AGENT)
                        .setBootId(BOOT)
                        .setSession(1)
                        .build());

        ingest.agentDisconnected(AGENT, false);

        assertThat(m1().statusReason()).isEqualTo("agent-death");
    }

    @Test
    void rebirthOnLiveConnection_keepsStatusAndReadings() {
        connectAndBirth();
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0)
                        .addAlias(10)
                        .addValue(3000)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build());

        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT, 3, 1).addDevices(miner("m1", 20)).build());

        assertThat(m1().status()).isEqualTo(DeviceState.ONLINE);
        assertThat(m1().metric("power").value()).isEqualTo(3000);
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 4, T0 + 1000).addAlias(20).addValue(2900).build());
        assertThat(m1().metric("power").value()).isEqualTo(2900);
    }

    @Test
    void birth_capabilitiesKeptWithTheDevice_andReplacedOnEveryRebirth() {
        connectAndBirth();

        assertThat(m1().capabilities())
                .extracting(DeviceCapability::verb)
                .containsExactly(Verb.VERB_SLEEP, Verb.VERB_WAKE, Verb.VERB_SET_POWER_TARGET);
        assertThat(store.record("m1").capability(Verb.VERB_SET_POWER_TARGET))
                .isEqualTo(new DeviceCapability(
                        Verb.VERB_SET_POWER_TARGET,
                        "W",
                        1200,
                        3300,
                        100,
                        List.of(),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(60),
                        "power.target",
                        50,
                        false));

        DeviceDescriptor narrower = miner("m1", 10).toBuilder()
                .clearCapabilities()
                .addCapabilities(verb(Verb.VERB_SLEEP))
                .addCapabilities(powerTarget().toBuilder().setMax(3000))
                .build();
        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT, 2, 1).addDevices(narrower).build());
        assertThat(m1().capabilities())
                .extracting(DeviceCapability::verb)
                .containsExactly(Verb.VERB_SLEEP, Verb.VERB_SET_POWER_TARGET);
        assertThat(store.record("m1").capability(Verb.VERB_SET_POWER_TARGET).max())
                .isEqualTo(3000);
        assertThat(store.record("m1").capability(Verb.VERB_WAKE)).isNull();

        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT, 3, 1)
                        .addDevices(miner("m1", 10).toBuilder().clearCapabilities())
                        .build());
        assertThat(m1().capabilities()).isEmpty();
        assertThat(store.record("m1").capability(Verb.VERB_SLEEP)).isNull();
    }

    @Test
    void birth_withoutADeviceItHadBefore_removesIt() {
        ingest.agentConnected(AGENT);
        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT, 1, 1)
                        .addDevices(miner("m1", 10))
                        .addDevices(miner("m2", 20))
                        .build());

        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT, 2, 1).addDevices(miner("m2", 20)).build());

        assertThat(store.devices()).extracting(DeviceView::id).containsExactly("m2");
    }

    @Test
    void malformedPayloads_countedNotThrown() {
        connectAndBirth();
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};

        sendBytes(AGENT, TopicKind.DATA, garbage);
        sendBytes(AGENT, TopicKind.RESULT, new byte[0]);
        sendBytes(AGENT, TopicKind.DEATH, garbage);
        sendBytes(AGENT, TopicKind.BIRTH, garbage);

        assertThat(counter("headroom.ingest.messages", "kind", "data", "outcome", "malformed"))
                .isEqualTo(1);
        assertThat(counter("headroom.ingest.messages", "kind", "result", "outcome", "malformed"))
                .isEqualTo(1);
        assertThat(counter("headroom.ingest.messages", "kind", "death", "outcome", "malformed"))
                .isEqualTo(1);
        assertThat(counter("headroom.ingest.messages", "kind", "birth", "outcome", "malformed"))
                .isEqualTo(1);
        assertThat(publisher.lastAck().getRebirth()).isTrue();
        assertThat(publisher.lastAck().getRebirthReason()).isEqualTo("malformed-birth");
        assertThat(counter("headroom.ingest.errors")).isZero();
    }

    @Test
    void birth_unknownMetricNameOrWrongUnit_notRegisteredAndItsSamplesDroppedWithoutRebirth() {
        ingest.agentConnected(AGENT);
        DeviceDescriptor device = DeviceDescriptor.newBuilder()
                .setId("m1")
                .setKind(DeviceKind.DEVICE_KIND_MINER)
                .addMetrics(metric(10, MetricDictionary.POWER, ""))
                .addMetrics(MetricDefinition.newBuilder()
                        .setAlias(11)
                        .setName("flux.capacitance")
                        .setUnit("F")
                        .setType(MetricType.METRIC_TYPE_GAUGE))
                .addMetrics(MetricDefinition.newBuilder()
                        .setAlias(12)
                        .setName("hashrate")
                        .setUnit("GH/s")
                        .setType(MetricType.METRIC_TYPE_GAUGE))
                .build();
        send(AGENT, TopicKind.BIRTH, birth(AGENT, BOOT, 1, 1).addDevices(device).build());

        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT, 2, T0)
                        .addAlias(10)
                        .addValue(3000)
                        .addAlias(11)
                        .addValue(230)
                        .addAlias(12)
                        .addValue(140_000)
                        .build());

        assertThat(m1().metrics()).containsOnlyKeys("power");
        assertThat(publisher.lastAck().getRebirth()).isFalse();
        assertThat(counter("headroom.ingest.metrics.rejected", "reason", "unknown-name"))
                .isEqualTo(1);
        assertThat(counter("headroom.ingest.metrics.rejected", "reason", "unit-mismatch"))
                .isEqualTo(1);
        assertThat(counter("headroom.ingest.samples", "outcome", "rejected")).isEqualTo(2);
    }

    @Test
    void birth_deviceIdOwnedByAnotherAgent_isAConflictAndOwnershipNeverMovesSilently() {
        connectAndBirth();
        ingest.agentConnected("rack-2");

        send(
                "rack-2",
                TopicKind.BIRTH,
                birth("rack-2", 5, 1, 1)
                        .addDevices(miner("m1", 10))
                        .addDevices(miner("m9", 20))
                        .build());
        send(
                "rack-2",
                TopicKind.DATA,
                data(5, 2, T0).addAlias(10).addValue(1).addAlias(20).addValue(2).build());

        assertThat(m1().agent()).isEqualTo(AGENT);
        assertThat(m1().metrics()).isEmpty();
        assertThat(m1().conflict()).containsExactly(AGENT, "rack-2");
        assertThat(store.device("m9").orElseThrow().metric("power").value()).isEqualTo(2);
        assertThat(store.device("m9").orElseThrow().inConflict()).isFalse();
        assertThat(counter("headroom.ingest.devices.rejected", "reason", "owned-by-other-agent"))
                .isEqualTo(1);

        // The owner going away does not hand the id over: the claim stays a conflict.
        ingest.agentDisconnected(AGENT, false);
        send(
                "rack-2",
                TopicKind.BIRTH,
                birth("rack-2", 5, 3, 1)
                        .addDevices(miner("m1", 10))
                        .addDevices(miner("m9", 20))
                        .build());
        assertThat(m1().agent()).isEqualTo(AGENT);
        assertThat(m1().conflict()).containsExactly(AGENT, "rack-2");

        // The owner still reports it after a restart: still its own, still in conflict; its data flows.
        ingest.agentConnected(AGENT);
        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT + 1, 1, 1).addDevices(miner("m1", 10)).build());
        send(
                AGENT,
                TopicKind.DATA,
                data(BOOT + 1, 2, T0).addAlias(10).addValue(3000).build());
        assertThat(m1().agent()).isEqualTo(AGENT);
        assertThat(m1().metric("power").value()).isEqualTo(3000);
        assertThat(m1().conflict()).containsExactly(AGENT, "rack-2");
    }

    @Test
    void birth_claimantDropsTheId_conflictClears() {
        connectAndBirth();
        ingest.agentConnected("rack-2");
        send(
                "rack-2",
                TopicKind.BIRTH,
                birth("rack-2", 5, 1, 1).addDevices(miner("m1", 10)).build());
        assertThat(m1().inConflict()).isTrue();

        send(
                "rack-2",
                TopicKind.BIRTH,
                birth("rack-2", 5, 2, 1).addDevices(miner("m9", 20)).build());

        assertThat(m1().inConflict()).isFalse();
        assertThat(m1().agent()).isEqualTo(AGENT);
    }

    @Test
    void birth_ownerReleasesTheId_claimantIsAskedForARebirthAndThenOwnsIt() {
        connectAndBirth();
        ingest.agentConnected("rack-2");
        send(
                "rack-2",
                TopicKind.BIRTH,
                birth("rack-2", 5, 1, 1).addDevices(miner("m1", 10)).build());
        clock.advance(Duration.ofSeconds(3)); // past the rebirth debounce of rack-2's first birth

        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT, 2, 2).addDevices(miner("m2", 30)).build());

        assertThat(store.device("m1")).isEmpty();
        Ack asked = publisher.lastAck(Topics.agent(SITE, "rack-2", TopicKind.ACK));
        assertThat(asked.getRebirth()).isTrue();
        assertThat(asked.getRebirthReason()).isEqualTo("device-released");

        send(
                "rack-2",
                TopicKind.BIRTH,
                birth("rack-2", 5, 2, 2).addDevices(miner("m1", 10)).build());
        assertThat(m1().agent()).isEqualTo("rack-2");
        assertThat(m1().inConflict()).isFalse();
    }

    @Test
    void adminRelease_ownerGone_claimantAskedForARebirthOwnsItAndTheOldOwnerIsTheClaimantThen() {
        connectAndBirth();
        ingest.agentConnected("rack-2");
        send(
                "rack-2",
                TopicKind.BIRTH,
                birth("rack-2", 5, 1, 1).addDevices(miner("m1", 10)).build());
        clock.advance(Duration.ofSeconds(3)); // past the rebirth debounce of rack-2's first birth

        // A live owner keeps its device, whatever an admin asks.
        OwnershipRelease refused = store.releaseOwnership("m1");
        assertThat(refused.outcome()).isEqualTo(OwnershipRelease.Outcome.OWNER_CONNECTED);
        assertThat(refused.owner()).isEqualTo(AGENT);
        assertThat(m1().agent()).isEqualTo(AGENT);
        assertThat(store.releaseOwnership("m404").outcome()).isEqualTo(OwnershipRelease.Outcome.NO_SUCH_DEVICE);

        // The owner is gone for good: released, and the claimant asked for its Birth.
        ingest.agentDisconnected(AGENT, false);
        OwnershipRelease released = store.releaseOwnership("m1");
        assertThat(released.outcome()).isEqualTo(OwnershipRelease.Outcome.RELEASED);
        assertThat(released.owner()).isEqualTo(AGENT);
        assertThat(released.claimants()).containsExactly("rack-2");
        assertThat(store.device("m1")).isEmpty();
        Ack asked = publisher.lastAck(Topics.agent(SITE, "rack-2", TopicKind.ACK));
        assertThat(asked.getRebirth()).isTrue();
        assertThat(asked.getRebirthReason()).isEqualTo("device-released");
        assertThat(store.releaseOwnership("m1").outcome()).isEqualTo(OwnershipRelease.Outcome.NO_SUCH_DEVICE);

        send(
                "rack-2",
                TopicKind.BIRTH,
                birth("rack-2", 5, 2, 2).addDevices(miner("m1", 10)).build());
        assertThat(m1().agent()).isEqualTo("rack-2");
        assertThat(m1().inConflict()).isFalse();
        assertThat(store.releaseOwnership("m1").outcome()).isEqualTo(OwnershipRelease.Outcome.NOT_IN_CONFLICT);

        // The old owner comes back listing it: it is the claimant now, and a Birth of its own that
        // drops the id does not take the device from its new owner.
        ingest.agentConnected(AGENT);
        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT + 1, 1, 1).addDevices(miner("m1", 10)).build());
        assertThat(m1().agent()).isEqualTo("rack-2");
        assertThat(m1().conflict()).containsExactly("rack-2", AGENT);
        send(
                AGENT,
                TopicKind.BIRTH,
                birth(AGENT, BOOT + 1, 2, 2).addDevices(miner("m2", 30)).build());
        assertThat(m1().agent()).isEqualTo("rack-2");
        assertThat(m1().inConflict()).isFalse();
    }

    @Test
    void birth_agentIdNotTheTopicsAgent_dropped() {
        ingest.agentConnected(AGENT);

        send(
                AGENT,
                TopicKind.BIRTH,
                birth("rack-9", BOOT, 1, 1).addDevices(miner("m1", 10)).build());

        assertThat(store.size()).isZero();
        assertThat(counter("headroom.ingest.messages", "kind", "birth", "outcome", "rejected"))
                .isEqualTo(1);
    }

    @Test
    void result_sequencedAndHandedToListener() {
        connectAndBirth();
        Result result = Result.newBuilder()
                .setBootId(BOOT)
                .setSeq(2)
                .setCommandId("c1")
                .setDeviceId("m1")
                .setStatus(ResultStatus.RESULT_STATUS_APPLIED)
                .setTimestampMs(T0)
                .build();

        send(AGENT, TopicKind.RESULT, result);
        send(AGENT, TopicKind.RESULT, result);

        assertThat(results).containsExactly(result);
        assertThat(publisher.lastAck().getSeq()).isEqualTo(2);
    }
}
