package io.headroom.controller.ingest;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.history.History;
import io.headroom.controller.history.HistoryRange;
import io.headroom.controller.history.HistorySeries;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.DeviceHealth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ingest feeds the short-term history (D41): what the store keeps as given, stamped as the store stamps it. */
class IngestHistoryTest {
    private static final String SITE = "demo";
    private static final String AGENT = "rack-1";
    private static final long BOOT = 5;

    private final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final StateStore store = new StateStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final History history = new History(registry);
    private Ingest ingest;
    private long seq = 1;

    @BeforeEach
    void setUp() {
        ingest = new Ingest(
                SITE,
                store,
                new RecordingPublisher(),
                (agent, result) -> {},
                clock,
                registry,
                Duration.ofSeconds(5),
                history);
        ingest.agentConnected(AGENT);
        send(
                TopicKind.BIRTH,
                WireCodec.encode(birth(AGENT, BOOT, seq, 1)
                        .addDevices(miner("m1", 10))
                        .addDevices(miner("m2", 20))
                        .build()));
    }

    private void send(TopicKind kind, byte[] bytes) {
        ingest.agentMessage(Topics.agent(SITE, AGENT, kind), ByteBuffer.wrap(bytes));
    }

    /** One Data stamped {@code agentMillis}: m1's power and chip temperature, m2's power. */
    private void report(long agentMillis, double m1Watts, double m1Chip, double m2Watts) {
        seq++;
        send(
                TopicKind.DATA,
                WireCodec.encode(data(BOOT, seq, agentMillis)
                        .addAlias(10)
                        .addValue(m1Watts)
                        .addAlias(12)
                        .addValue(m1Chip)
                        .addAlias(20)
                        .addValue(m2Watts)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build()));
    }

    private HistorySeries hour(String device, int slot) {
        DeviceRecord record = store.record(device);
        return history.series(record, slot, HistoryRange.HOUR, clock.millis());
    }

    @Test
    void storedSamples_reachTheHistoryOfTheirDeviceAndMetric_implausibleOnesDoNot() {
        long t0 = clock.millis();
        report(t0, 3250, 71.5, 3100);
        clock.advance(Duration.ofSeconds(10));
        // -250,000 W is outside the dictionary's plausible range: stored as BAD, never charted.
        report(clock.millis(), -250_000, 72, 3000);

        HistorySeries m1Power = hour("m1", 0);
        assertThat(m1Power.size()).isEqualTo(1);
        assertThat(m1Power.atMillis(0)).isEqualTo(t0);
        assertThat(m1Power.mean(0)).isCloseTo(3250, within(0.05));
        HistorySeries m1Chip = hour("m1", 2);
        assertThat(m1Chip.metric()).isEqualTo("temperature.chip[board1]");
        assertThat(m1Chip.size()).isEqualTo(2);
        assertThat(m1Chip.mean(1)).isCloseTo(72, within(0.001));
        HistorySeries m2Power = hour("m2", 0);
        assertThat(m2Power.size()).isEqualTo(2);
        assertThat(m2Power.mean(1)).isCloseTo(3000, within(0.05));
    }

    @Test
    void afterARebirthThatReordersTheMetrics_samplesReachTheNewRecordsSeries_whichCarryTheOldOnes() {
        long t0 = clock.millis();
        report(t0, 3250, 71.5, 3100);
        DeviceRecord before = store.record("m1");
        // The same devices, m1's metrics declared in another order under the same aliases: new records.
        seq++;
        send(
                TopicKind.BIRTH,
                WireCodec.encode(birth(AGENT, BOOT, seq, 1)
                        .addDevices(miner("m1", 10).toBuilder()
                                .clearMetrics()
                                .addMetrics(WireFixtures.metric(12, MetricDictionary.TEMPERATURE_CHIP, "board1"))
                                .addMetrics(WireFixtures.metric(10, MetricDictionary.POWER, "")))
                        .addDevices(miner("m2", 20))
                        .build()));
        assertThat(store.record("m1")).isNotSameAs(before);
        assertThat(store.record("m1").slot(0).displayKey()).isEqualTo("temperature.chip[board1]");
        clock.advance(Duration.ofSeconds(10));
        report(clock.millis(), 3000, 70, 2900);

        // Each value in its own metric's series, as the new record lays them out, the old points kept.
        HistorySeries chip = hour("m1", 0);
        assertThat(chip.metric()).isEqualTo("temperature.chip[board1]");
        assertThat(chip.size()).isEqualTo(2);
        assertThat(chip.mean(1)).isEqualTo(70);
        HistorySeries power = hour("m1", 1);
        assertThat(power.metric()).isEqualTo("power");
        assertThat(power.size()).isEqualTo(2);
        assertThat(power.mean(0)).isCloseTo(3250, within(power.precision()));
        assertThat(power.mean(1)).isEqualTo(3000);
    }

    @Test
    void aSampleFromAClockTooFarAhead_isChartedAtItsReceiveTime_asTheStoreKeepsIt() {
        long now = clock.millis();
        report(now + 3_600_000, 3250, 70, 3100);

        HistorySeries m1Power = hour("m1", 0);
        assertThat(m1Power.size()).isEqualTo(1);
        assertThat(m1Power.atMillis(0)).isEqualTo(now);
        assertThat(store.device("m1").orElseThrow().metric("power").at().toEpochMilli())
                .isEqualTo(now);
    }

    /**
     * A Data may list a device's samples apart (m1, m2, m1): each run is applied in turn (D53), so
     * a later, older sample of a slot is still refused as out of order and counted, and what was
     * stored reaches the history once, in order.
     */
    @Test
    void aDevicesSamplesSplitByAnothers_areAppliedInMessageOrder() {
        long t0 = clock.millis();
        seq++;
        send(
                TopicKind.DATA,
                WireCodec.encode(data(BOOT, seq, t0)
                        .addAlias(10)
                        .addValue(3250)
                        .addOffsetMs(0)
                        .addAlias(20)
                        .addValue(3100)
                        .addOffsetMs(0)
                        .addAlias(10)
                        .addValue(2000)
                        .addOffsetMs(-1_000) // older than m1's power just stored
                        .addAlias(12)
                        .addValue(71)
                        .addOffsetMs(0)
                        .build()));

        assertThat(store.device("m1").orElseThrow().metric("power").value()).isEqualTo(3250);
        assertThat(store.device("m1")
                        .orElseThrow()
                        .metric("temperature.chip[board1]")
                        .value())
                .isEqualTo(71);
        assertThat(registry.get("headroom.ingest.samples")
                        .tag("outcome", "applied")
                        .counter()
                        .count())
                .isEqualTo(3);
        assertThat(registry.get("headroom.ingest.samples")
                        .tag("outcome", "out-of-order")
                        .counter()
                        .count())
                .isEqualTo(1);
        HistorySeries m1Power = hour("m1", 0);
        assertThat(m1Power.size()).isEqualTo(1);
        assertThat(m1Power.mean(0)).isCloseTo(3250, within(0.05));
        assertThat(hour("m1", 2).size()).isEqualTo(1);
        assertThat(hour("m2", 0).size()).isEqualTo(1);
    }
}
