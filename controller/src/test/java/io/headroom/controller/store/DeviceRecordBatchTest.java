package io.headroom.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.controller.store.DeviceRecord.Applied;
import io.headroom.protocol.wire.Quality;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch of one device's samples (D53) is stored by the same rules as one sample at a time:
 * ordering per slot, the clock-ahead rule, plausibility and quality; a bad slot stores nothing.
 */
class DeviceRecordBatchTest {

    private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");
    private static final long T = T0.toEpochMilli();
    private static final int GOOD = Quality.QUALITY_GOOD_VALUE;

    private static DeviceRecord miner() {
        return new DeviceRecord(
                "miner-1",
                "a1",
                "miner",
                "S19",
                "luxor/luxos",
                "",
                3010,
                List.of(
                        new MetricSlot("power", "", "W"),
                        new MetricSlot("temperature.chip", "board1", "°C"),
                        new MetricSlot("fan.speed", "fan1", "rpm")),
                List.of(),
                DeviceState.ONLINE,
                "",
                "",
                T0);
    }

    @Test
    void storesInOrder_aLaterSampleOfTheSameSlotWins_anOlderOneIsOutOfOrder() {
        DeviceRecord record = miner();
        SampleBatch batch = new SampleBatch();
        batch.add(0, 3000, T + 10, GOOD);
        batch.add(0, 3100, T + 20, GOOD);
        batch.add(0, 2900, T + 15, GOOD);
        batch.add(1, 70, T + 20, Quality.QUALITY_UNCERTAIN_VALUE);

        record.apply(batch, T + 1_000);

        assertThat(List.of(batch.outcome(0), batch.outcome(1), batch.outcome(2), batch.outcome(3)))
                .containsExactly(Applied.STORED, Applied.STORED, Applied.OUT_OF_ORDER, Applied.STORED);
        assertThat(batch.count(Applied.STORED)).isEqualTo(3);
        assertThat(batch.count(Applied.OUT_OF_ORDER)).isEqualTo(1);
        assertThat(batch.count(Applied.IMPLAUSIBLE)).isZero();
        DeviceSample sample = record.sample();
        assertThat(sample.value(0)).isEqualTo(3100);
        assertThat(sample.atMillis(0)).isEqualTo(T + 20);
        assertThat(sample.quality(1)).isEqualTo(Quality.QUALITY_UNCERTAIN);
        assertThat(sample.has(2)).isFalse();
    }

    @Test
    void anOlderSampleAfterAStoredOneStampedAheadOfTheControllersClock_isStored() {
        DeviceRecord record = miner();
        SampleBatch batch = new SampleBatch();
        batch.add(0, 3000, T + 60_000, GOOD); // the agent's clock ran a minute ahead
        record.apply(batch, T);
        batch.clear();
        batch.add(0, 3050, T + 1, GOOD); // corrected: older than stored, but stored is ahead of now

        record.apply(batch, T + 2);

        assertThat(batch.outcome(0)).isEqualTo(Applied.STORED);
        assertThat(record.sample().value(0)).isEqualTo(3050);

        batch.clear();
        batch.add(0, 2000, T, GOOD); // older than a stored sample that is not ahead: refused
        record.apply(batch, T + 2);
        assertThat(batch.outcome(0)).isEqualTo(Applied.OUT_OF_ORDER);
        assertThat(record.sample().value(0)).isEqualTo(3050);
    }

    @Test
    void anImplausibleValue_isStoredAsBad_andOthersOfTheBatchKeepTheirQuality() {
        DeviceRecord record = miner();
        SampleBatch batch = new SampleBatch();
        batch.add(0, -5, T, GOOD);
        batch.add(1, 65, T, GOOD);

        record.apply(batch, T);

        assertThat(batch.outcome(0)).isEqualTo(Applied.IMPLAUSIBLE);
        assertThat(batch.outcome(1)).isEqualTo(Applied.STORED);
        assertThat(batch.count(Applied.IMPLAUSIBLE)).isEqualTo(1);
        DeviceSample sample = record.sample();
        assertThat(sample.quality(0)).isEqualTo(Quality.QUALITY_BAD);
        assertThat(sample.good(1)).isTrue();
        assertThat(record.truthfulPowerW()).isNaN();
    }

    @Test
    void aSlotTheRecordLacks_isRefusedNamingIt_andNothingOfTheBatchIsStored() {
        DeviceRecord record = miner();
        SampleBatch batch = new SampleBatch();
        batch.add(0, 3000, T, GOOD);
        batch.add(3, 1, T, GOOD);

        assertThatThrownBy(() -> record.apply(batch, T))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slot 3 of device miner-1, which has 3 metric slot(s)");
        assertThat(record.sample().has(0)).isFalse();
        assertThatThrownBy(() -> record.apply(-1, 1, T, GOOD, T))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slot -1 of device miner-1");
    }

    @Test
    void aBatchGrowsPastItsFirstCapacity_andIsReusedAfterClear() {
        DeviceRecord record = miner();
        SampleBatch batch = new SampleBatch();
        for (int i = 0; i < 100; i++) {
            batch.add(2, 4000 + i, T + i, GOOD);
        }
        record.apply(batch, T + 100);
        assertThat(batch.size()).isEqualTo(100);
        assertThat(batch.outcome(99)).isEqualTo(Applied.STORED);
        assertThat(record.sample().value(2)).isEqualTo(4099);

        batch.clear();
        assertThat(batch.size()).isZero();
        assertThat(batch.count(Applied.STORED)).as("counts start again").isZero();
        batch.add(2, 5000, T + 200, GOOD);
        assertThat(batch.outcome(0)).as("not applied yet").isNull();
        assertThatThrownBy(() -> batch.value(1))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("sample 1 of a batch of 1");
    }
}
