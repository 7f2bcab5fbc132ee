package io.headroom.controller.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {
    /** 2026-12-01T12:00:00Z: a multiple of 5 min, so hour and day buckets start together here. */
    private static final long T0 = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();

    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final History history = new History(registry);

    private static DeviceRecord miner(String id, MetricSlot... slots) {
        return new DeviceRecord(
                id,
                "a1",
                "miner",
                "S19",
                "bitmain/s19",
                "",
                3250,
                List.of(slots),
                List.of(),
                DeviceState.ONLINE,
                "",
                "",
                Instant.ofEpochMilli(T0));
    }

    private static DeviceRecord miner() {
        return miner("m1", new MetricSlot("power", "", "W"), new MetricSlot("temperature.chip", "1", "Cel"));
    }

    @Test
    void record_samplesInOneBucket_keepTheirMeanAndMax() {
        DeviceRecord m1 = miner();
        HistoryWriter writer = history.writer(m1);
        writer.record(0, 3000, T0);
        writer.record(0, 3100, T0 + 4 * SECOND);
        writer.record(0, 3200, T0 + 9_999);
        writer.record(0, 2800, T0 + 10 * SECOND);

        HistorySeries hour = history.series(m1, 0, HistoryRange.HOUR, T0 + 15 * SECOND);

        assertThat(hour.size()).isEqualTo(2);
        assertThat(hour.atMillis(0)).isEqualTo(T0);
        assertThat(hour.mean(0)).isCloseTo(3100, halfStep(hour));
        assertMax(hour, 0, 3200);
        assertThat(hour.atMillis(1)).isEqualTo(T0 + 10 * SECOND);
        assertThat(hour.mean(1)).isCloseTo(2800, within(0.05));
        assertThat(hour.metric()).isEqualTo("power");
        assertThat(hour.unit()).isEqualTo("W");

        HistorySeries day = history.series(m1, 0, HistoryRange.DAY, T0 + 15 * SECOND);
        assertThat(day.size()).isEqualTo(1);
        assertThat(day.atMillis(0)).isEqualTo(T0);
        assertThat(day.mean(0)).isCloseTo(3025, within(0.05));
        assertThat(day.max(0)).isCloseTo(3200, within(0.05));
    }

    @Test
    void record_theOpenBucketReadsExactly_andIsCodedInTheScaleItClosesWith() {
        DeviceRecord m1 = miner();
        HistoryWriter writer = history.writer(m1);
        writer.record(0, 100.123456, T0);
        writer.record(0, 110, T0 + SECOND);

        HistorySeries open = history.series(m1, 0, HistoryRange.HOUR, T0 + 2 * SECOND);
        assertThat(open.mean(0)).isEqualTo((100.123456 + 110) / 2);
        assertThat(open.max(0)).isEqualTo(110);

        // Far outside the first scale, in the same open bucket: the scale widens, then the bucket closes.
        writer.record(0, 10_000, T0 + 2 * SECOND);
        writer.record(0, 500, T0 + 10 * SECOND);
        HistorySeries hour = history.series(m1, 0, HistoryRange.HOUR, T0 + 11 * SECOND);

        assertThat(hour.size()).isEqualTo(2);
        assertThat(hour.mean(0)).isCloseTo((100.123456 + 110 + 10_000) / 3, within(hour.precision()));
        assertMax(hour, 0, 10_000);
        assertThat(hour.mean(1)).isEqualTo(500);
        assertThat(history.points()).isEqualTo(3); // two hour buckets, one day bucket
    }

    @Test
    void record_slotsAreSeparate_andAnEmptySlotReadsEmpty() {
        DeviceRecord m1 = miner();
        history.writer(m1).record(1, 71.5, T0);

        assertThat(history.series(m1, 0, HistoryRange.HOUR, T0).size()).isZero();
        HistorySeries chip = history.series(m1, 1, HistoryRange.HOUR, T0);
        assertThat(chip.metric()).isEqualTo("temperature.chip[1]");
        assertThat(chip.unit()).isEqualTo("Cel");
        assertThat(chip.mean(0)).isCloseTo(71.5, within(0.001));
    }

    @Test
    void series_keepsOnlyTheRangesWindow_andTheRingForgetsWhatItOverwrote() {
        DeviceRecord m1 = miner();
        HistoryWriter writer = history.writer(m1);
        // 2 h of one sample per 10 s: the hour ring wraps around once.
        for (long t = 0; t < 120 * MINUTE; t += 10 * SECOND) {
            writer.record(0, 1000 + t / MINUTE, T0 + t);
        }
        long now = T0 + 120 * MINUTE - 1;

        HistorySeries hour = history.series(m1, 0, HistoryRange.HOUR, now);
        assertThat(hour.size()).isEqualTo(360);
        assertThat(hour.atMillis(0)).isEqualTo(T0 + 60 * MINUTE);
        assertThat(hour.atMillis(359)).isEqualTo(T0 + 120 * MINUTE - 10 * SECOND);
        assertThat(hour.mean(0)).isCloseTo(1060, halfStep(hour));
        assertThat(hour.mean(359)).isCloseTo(1119, halfStep(hour));
        assertThat(hour.fromMillis()).isEqualTo(T0 + 60 * MINUTE);

        HistorySeries day = history.series(m1, 0, HistoryRange.DAY, now);
        assertThat(day.size()).isEqualTo(24);
        assertThat(day.mean(0)).isCloseTo(1002, halfStep(day)); // minutes 0..4: 1000..1004
        assertThat(day.max(0)).as("8 steps above the mean: kept exactly").isCloseTo(1004, halfStep(day));

        // An hour later with no sample: the hour is empty, the day still has it.
        long later = now + 61 * MINUTE;
        assertThat(history.series(m1, 0, HistoryRange.HOUR, later).size()).isZero();
        assertThat(history.series(m1, 0, HistoryRange.DAY, later).size()).isEqualTo(24);
        // A day and more later, nothing is left in the window.
        assertThat(history.series(m1, 0, HistoryRange.DAY, now + 25 * 60 * MINUTE)
                        .size())
                .isZero();
    }

    @Test
    void record_aGapLongerThanTheRing_clearsEveryOldBucket() {
        DeviceRecord m1 = miner();
        HistoryWriter writer = history.writer(m1);
        for (long t = 0; t < 30 * MINUTE; t += 10 * SECOND) {
            writer.record(0, 500, T0 + t);
        }
        assertThat(history.points()).isEqualTo(180 + 6);
        long back = T0 + 3 * 60 * MINUTE;
        writer.record(0, 700, back);

        HistorySeries hour = history.series(m1, 0, HistoryRange.HOUR, back);
        assertThat(hour.size()).isEqualTo(1);
        assertThat(hour.mean(0)).isCloseTo(700, within(0.01));
        assertThat(history.points()).isEqualTo(1 + 7);
    }

    @Test
    void record_valuesFarOutsideTheFirstScale_widenItAndKeepEarlierPointsWithinTheirPrecision() {
        DeviceRecord m1 = miner();
        HistoryWriter writer = history.writer(m1);
        writer.record(0, 0.5, T0); // a sleeping miner
        writer.record(0, 3412.25, T0 + 10 * SECOND);
        writer.record(0, -20, T0 + 20 * SECOND);
        writer.record(0, 250_000, T0 + 30 * SECOND);

        HistorySeries hour = history.series(m1, 0, HistoryRange.HOUR, T0 + 30 * SECOND);
        // The span the slot has seen is about 250 kW: each value is kept to within a few watts of it.
        double tolerance = 250_020 * 1.25 * 2 / 4_094;
        assertThat(hour.size()).isEqualTo(4);
        assertThat(hour.mean(0)).isCloseTo(0.5, within(tolerance));
        assertThat(hour.mean(1)).isCloseTo(3412.25, within(tolerance));
        assertThat(hour.mean(2)).isCloseTo(-20, within(tolerance));
        assertThat(hour.mean(3)).isCloseTo(250_000, within(tolerance));
    }

    @Test
    void record_sampleOlderThanItsOpenBucket_isCountedAsLate_notStored() {
        DeviceRecord m1 = miner();
        HistoryWriter writer = history.writer(m1);
        writer.record(0, 3000, T0 + 20 * SECOND);
        writer.record(0, 9999, T0 + 5 * SECOND); // the hour's 10 s bucket is closed; the day's is open

        HistorySeries hour = history.series(m1, 0, HistoryRange.HOUR, T0 + 20 * SECOND);
        assertThat(hour.size()).isEqualTo(1);
        assertThat(hour.mean(0)).isCloseTo(3000, within(0.05));
        assertThat(registry.get("headroom.history.samples.dropped")
                        .tag("reason", "late")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(history.series(m1, 0, HistoryRange.DAY, T0 + 20 * SECOND).max(0))
                .isCloseTo(9999, within(0.5));
    }

    @Test
    void record_hugeOrNonFiniteValues_areDroppedAndCounted_neverThrow() {
        DeviceRecord m1 = miner();
        HistoryWriter writer = history.writer(m1);
        writer.record(0, 1, T0);
        writer.record(0, Double.NaN, T0 + 1);
        writer.record(0, Double.POSITIVE_INFINITY, T0 + 2);
        writer.record(0, Double.MAX_VALUE, T0 + 3);
        writer.record(7, 1, T0 + 4); // no such slot

        assertThat(registry.get("headroom.history.samples.dropped")
                        .tag("reason", "range")
                        .counter()
                        .count())
                .isEqualTo(1);
        HistorySeries hour = history.series(m1, 0, HistoryRange.HOUR, T0 + 5);
        assertThat(hour.size()).isEqualTo(1);
        assertThat(hour.mean(0)).isCloseTo(1, within(0.001));
    }

    @Test
    void writer_afterARebirth_carriesOverSeriesWithTheSameKeyAndUnit() {
        DeviceRecord first = miner();
        history.writer(first).record(0, 3000, T0);
        history.writer(first).record(1, 70, T0);
        // The rebirth reorders the slots, changes the chip's unit and adds a fan.
        DeviceRecord second = miner(
                "m1",
                new MetricSlot("fan.speed", "1", "rpm"),
                new MetricSlot("temperature.chip", "1", "K"),
                new MetricSlot("power", "", "W"));
        HistoryWriter writer = history.writer(second);
        writer.record(2, 3200, T0 + 10 * SECOND);

        HistorySeries power = history.series(second, 2, HistoryRange.HOUR, T0 + 10 * SECOND);
        assertThat(power.size()).isEqualTo(2);
        assertThat(power.mean(0)).isCloseTo(3000, halfStep(power));
        assertThat(power.mean(1)).isCloseTo(3200, within(0.05));
        assertThat(history.series(second, 1, HistoryRange.HOUR, T0 + 10 * SECOND)
                        .size())
                .isZero();
        assertThat(history.writer(second)).isSameAs(writer);
        assertThat(history.points()).isEqualTo(3); // two hour points and one day point of power
    }

    @Test
    void prune_forgetsDevicesTheStoreNoLongerHas() {
        StateStore store = new StateStore();
        DeviceRecord m1 = miner();
        DeviceRecord m2 = miner("m2", new MetricSlot("power", "", "W"));
        store.replaceAgentDevices("a1", List.of(m1, m2));
        history.writer(m1).record(0, 1, T0);
        history.writer(m2).record(0, 2, T0);
        assertThat(history.devices()).isEqualTo(2);

        store.replaceAgentDevices("a1", List.of(m1));
        history.prune(store);

        assertThat(history.devices()).isEqualTo(1);
        assertThat(history.series(m2, 0, HistoryRange.HOUR, T0).size()).isZero();
        assertThat(history.series(m1, 0, HistoryRange.HOUR, T0).size()).isEqualTo(1);
    }

    @Test
    void prune_givesTheRingsToTheNextDevice_whichStartsEmpty_andTheOldWriterWritesNothing() {
        StateStore store = new StateStore();
        DeviceRecord m1 = miner();
        store.replaceAgentDevices("a1", List.of(m1));
        HistoryWriter old = history.writer(m1);
        for (int i = 0; i < 30; i++) { // closed buckets of both slots: codes in the rings
            old.record(0, 3000 + i, T0 + i * 10 * SECOND);
            old.record(1, 70 + i, T0 + i * 10 * SECOND);
        }
        double slabBytes = registry.get("headroom.history.slab.bytes").gauge().value();
        store.replaceAgentDevices("a1", List.of());
        history.prune(store);

        DeviceRecord m3 = miner("m3", new MetricSlot("power", "", "W"), new MetricSlot("fan.speed", "1", "rpm"));
        store.replaceAgentDevices("a1", List.of(m3));
        HistoryWriter fresh = history.writer(m3);
        long now = T0 + 300 * SECOND;

        // Same size, so m1's range of the slab: zeroed, nothing of m1's left in it.
        assertThat(registry.get("headroom.history.slab.bytes").gauge().value()).isEqualTo(slabBytes);
        assertThat(history.series(m3, 0, HistoryRange.HOUR, now).size()).isZero();
        assertThat(history.series(m3, 1, HistoryRange.DAY, now).size()).isZero();
        fresh.record(1, 1_500, now);
        old.record(0, 9_999, now); // a writer still held after the prune: ignored, not m3's
        old.record(1, 9_999, now);
        assertThat(history.series(m3, 0, HistoryRange.HOUR, now).size()).isZero();
        HistorySeries fan = history.series(m3, 1, HistoryRange.HOUR, now);
        assertThat(fan.size()).isEqualTo(1);
        assertThat(fan.max(0)).isEqualTo(1_500);
        assertThat(history.points()).isEqualTo(2); // the fan's open hour and day buckets
    }

    @Test
    void writer_afterARebirth_theEarlierWriterIsReleased_andItsLateSamplesAreIgnored() {
        DeviceRecord first = miner();
        HistoryWriter earlier = history.writer(first);
        earlier.record(0, 3000, T0);
        DeviceRecord second = miner();
        HistoryWriter later = history.writer(second);

        earlier.record(0, 9_999, T0 + 1); // a sample of the earlier record, after the rebirth
        later.record(0, 3100, T0 + 2);

        HistorySeries power = history.series(second, 0, HistoryRange.HOUR, T0 + 5 * SECOND);
        assertThat(power.size()).isEqualTo(1);
        assertThat(power.max(0)).isEqualTo(3100);
        assertThat(power.mean(0)).isCloseTo(3050, within(1e-9));
    }

    @Test
    void meters_reportPointsAndTheMemoryEstimate() {
        DeviceRecord m1 = miner();
        history.writer(m1).record(0, 1, T0);
        history.writer(m1).record(1, 1, T0 + 10 * SECOND);

        assertThat(registry.get("headroom.history.points").gauge().value()).isEqualTo(4);
        assertThat(registry.get("headroom.history.devices").gauge().value()).isEqualTo(1);
        assertThat(registry.get("headroom.history.bytes").gauge().value()).isEqualTo(History.bytesPerDevice(2));
        // The first slab of its size: room for 16 devices' rings.
        assertThat(registry.get("headroom.history.slab.bytes").gauge().value())
                .isEqualTo(16.0 * BucketRings.bytesFor(2));
        // Per metric: 648 buckets of 2.5 bytes (a 12-bit mean, an 8-bit excess), plus its scale, open sums
        // and slot maps.
        assertThat(History.bytesPerDevice(12) - History.bytesPerDevice(11)).isBetween(1_620L, 1_620L + 96);
    }

    @Test
    void settings_keepOnlyTheNamedMetrics_andCostOnlyWhatTheyKeep() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        History some = new History(new HistorySettings(List.of("power", "temperature.*")), meters);
        DeviceRecord m1 = miner(
                "m1",
                new MetricSlot("fan.speed", "1", "rpm"),
                new MetricSlot("power", "", "W"),
                new MetricSlot("temperature.chip", "1", "Cel"));
        HistoryWriter writer = some.writer(m1);
        writer.record(0, 4200, T0);
        writer.record(1, 3000, T0);
        writer.record(2, 70, T0);

        assertThat(some.keeps(m1, 0)).isFalse();
        assertThat(some.keeps(m1, 1)).isTrue();
        assertThat(some.keeps(m1, 2)).isTrue();
        assertThat(some.series(m1, 0, HistoryRange.HOUR, T0).size()).isZero();
        assertThat(some.series(m1, 1, HistoryRange.HOUR, T0).mean(0)).isCloseTo(3000, within(0.05));
        assertThat(some.series(m1, 2, HistoryRange.DAY, T0).mean(0)).isCloseTo(70, within(0.01));
        assertThat(some.points()).isEqualTo(4); // hour and day of power and of the chip, none of the fan
        assertThat(some.bytes()).isEqualTo(History.bytesPerDevice(3, 2));
        assertThat(History.bytesPerDevice(3) - History.bytesPerDevice(3, 2)).isGreaterThanOrEqualTo(1_620L);
        assertThat(meters.find("headroom.history.samples.dropped").counters())
                .hasSize(2)
                .allSatisfy(counter -> assertThat(counter.count())
                        .as("a metric left out is not a drop")
                        .isZero());
    }

    @Test
    void settings_aRebirthThatReordersTheSlots_carriesOverTheKeptSeriesOnly() {
        History some = new History(new HistorySettings(List.of("power")), new SimpleMeterRegistry());
        DeviceRecord first = miner("m1", new MetricSlot("fan.speed", "1", "rpm"), new MetricSlot("power", "", "W"));
        some.writer(first).record(0, 4200, T0);
        some.writer(first).record(1, 3000, T0);
        DeviceRecord second = miner(
                "m1",
                new MetricSlot("power", "", "W"),
                new MetricSlot("temperature.chip", "1", "Cel"),
                new MetricSlot("fan.speed", "1", "rpm"));
        some.writer(second).record(0, 3200, T0 + 10 * SECOND);

        HistorySeries power = some.series(second, 0, HistoryRange.HOUR, T0 + 10 * SECOND);
        assertThat(power.size()).isEqualTo(2);
        assertThat(power.mean(0)).isCloseTo(3000, halfStep(power));
        assertThat(power.mean(1)).isCloseTo(3200, within(0.05));
        assertThat(some.series(second, 2, HistoryRange.HOUR, T0 + 10 * SECOND).size())
                .isZero();
        assertThat(some.points()).isEqualTo(3);
    }

    @Test
    void settings_patterns_matchWholeDisplayKeys_starIsTheOnlyWildcard_andBadOnesAreRefused() {
        HistorySettings.MetricFilter filter = new HistorySettings(List.of("fan.speed[*]", "temperature.chip")).filter();
        assertThat(filter.keeps("fan.speed[1]")).isTrue();
        assertThat(filter.keeps("fan.speed")).as("no instance: no brackets").isFalse();
        assertThat(filter.keeps("temperature.chip")).isTrue();
        assertThat(filter.keeps("temperatureXchip"))
                .as("'.' is a dot, not any character")
                .isFalse();
        assertThat(filter.keeps("temperature.chip[1]")).as("whole keys only").isFalse();
        assertThat(new HistorySettings(List.of()).filter().keeps("power")).isFalse();
        assertThat(HistorySettings.defaults().filter()).isSameAs(HistorySettings.MetricFilter.ALL);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HistorySettings(List.of("power", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metrics: pattern 2 has 0 characters; a pattern has 1 to 100");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HistorySettings(List.of("pow(er)")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("metrics: 'pow(er)' has '('");
    }

    @Test
    void record_aPeakFarAboveTheMean_isNeverShaved_andOverstatedByLessThanAThirtyFirstOfItsHeight() {
        DeviceRecord m1 = miner();
        HistoryWriter writer = history.writer(m1);
        // A chip at 60 °C with one spike per bucket, of heights from a hundredth to nearly the scale's span.
        double[] peaks = {60.3, 61, 64.5, 75, 89.9};
        for (int b = 0; b < peaks.length; b++) {
            long start = T0 + b * 10 * SECOND;
            // The first 60 sets the scale at 30..90 for good: nothing here widens it.
            writer.record(1, 60, start);
            writer.record(1, 30, start + SECOND);
            for (int s = 2; s < 9; s++) {
                writer.record(1, 60, start + s * SECOND);
            }
            writer.record(1, peaks[b], start + 9 * SECOND);
        }
        writer.record(1, 60, T0 + peaks.length * 10 * SECOND);

        HistorySeries hour = history.series(m1, 1, HistoryRange.HOUR, T0 + peaks.length * 10 * SECOND);
        assertThat(hour.size()).isEqualTo(peaks.length + 1);
        for (int b = 0; b < peaks.length; b++) {
            assertThat(hour.mean(b)).isCloseTo((30 + 8 * 60 + peaks[b]) / 10, halfStep(hour));
            assertMax(hour, b, peaks[b]);
        }
    }

    @Test
    void record_randomStreamsWithGapsAndLateSamples_readAsAModelOfEveryBucketsSamples() {
        // Three slots written in random subsets, each with a walk and re-scales of its own: the rings
        // are bucket-major, every slot's buckets beside the others' (D66), so a slot must never read
        // or clear a neighbour's.
        java.util.Random random = new java.util.Random(20261203);
        int slots = 3;
        for (int stream = 0; stream < 20; stream++) {
            History own = new History(new SimpleMeterRegistry());
            DeviceRecord m1 = miner(
                    "m1",
                    new MetricSlot("power", "", "W"),
                    new MetricSlot("temperature.chip", "1", "Cel"),
                    new MetricSlot("hashrate", "", "TH/s"));
            HistoryWriter writer = own.writer(m1);
            BucketModel[][] model = new BucketModel[slots][];
            double[] value = new double[slots];
            for (int slot = 0; slot < slots; slot++) {
                model[slot] = new BucketModel[] {new BucketModel(HistoryRange.HOUR), new BucketModel(HistoryRange.DAY)};
                value[slot] = 3000; // the first sample: FIRST_STEP
            }
            long t = T0 + random.nextInt(300_000);
            for (int i = 0; i < 6_000; i++) {
                int what = random.nextInt(1_000);
                if (what < 5) {
                    t += (1 + random.nextInt(30)) * MINUTE; // an agent offline for a while
                } else if (what < 7) {
                    t += (61 + random.nextInt(1_500)) * MINUTE; // longer than the hour's ring, or the day's
                } else if (what < 40) {
                    t -= random.nextInt(60_000); // a clock stepped back: late for the hour, maybe not the day
                } else {
                    t += 200 + random.nextInt(2_800);
                }
                int written = 1 + random.nextInt((1 << slots) - 1); // which slots this sample time has
                for (int slot = 0; slot < slots; slot++) {
                    if ((written & 1 << slot) == 0) {
                        continue;
                    }
                    writer.record(slot, value[slot], t);
                    for (BucketModel range : model[slot]) {
                        range.offer(value[slot], t);
                    }
                    value[slot] = random.nextInt(500) == 0
                            ? value[slot] * 3
                            : Math.max(0, value[slot] + random.nextGaussian() * 20);
                }
                if (random.nextInt(600) == 0 || i == 5_999) {
                    long now = t + random.nextInt(5_000);
                    for (int slot = 0; slot < slots; slot++) {
                        for (BucketModel range : model[slot]) {
                            range.check(
                                    own.series(m1, slot, range.range, now),
                                    now,
                                    "stream " + stream + ", slot " + slot + ", sample " + i);
                        }
                    }
                }
            }
        }
    }

    /** The scale's step after a first sample of 3,000: 3,000 over 4,094 steps. */
    private static final double FIRST_STEP = 3_000.0 / 4_094;

    /** Every bucket's samples kept exactly, by the history's rules: what a series must read back. */
    private static final class BucketModel {
        final HistoryRange range;
        final java.util.TreeMap<Long, double[]> buckets = new java.util.TreeMap<>(); // sum, count, max
        long open = Long.MIN_VALUE;

        BucketModel(HistoryRange range) {
            this.range = range;
        }

        /** A sample older than the range's open bucket is late there, and not kept. */
        void offer(double value, long atMillis) {
            long bucket = Math.floorDiv(atMillis, range.resolutionMillis());
            if (bucket < open) {
                return;
            }
            open = bucket;
            double[] b = buckets.computeIfAbsent(bucket, k -> new double[] {0, 0, Double.NEGATIVE_INFINITY});
            b[0] += value;
            b[1]++;
            b[2] = Math.max(b[2], value);
        }

        void check(HistorySeries series, long now, String what) {
            long nowBucket = Math.floorDiv(now, range.resolutionMillis());
            long first = Math.max(nowBucket - range.buckets() + 1, open - range.buckets() + 1);
            var expected = buckets.subMap(first, true, Math.min(nowBucket + 1, open), true);
            assertThat(series.size()).as("%s, %s: points", what, range).isEqualTo(expected.size());
            int i = 0;
            for (var bucket : expected.entrySet()) {
                double[] b = bucket.getValue();
                String point = what + ", " + range + " point " + i;
                assertThat(series.atMillis(i)).as(point).isEqualTo(bucket.getKey() * range.resolutionMillis());
                if (bucket.getKey() == open) {
                    // Exact but for the order of the additions (the day's sums are the hour buckets').
                    double mean = b[0] / b[1];
                    assertThat(series.mean(i)).as(point).isCloseTo(mean, within(Math.abs(mean) * 1e-12));
                    assertThat(series.max(i)).as(point).isEqualTo(b[2]);
                } else {
                    // Coded: within a step of the scale (a half step, and half of each earlier scale's if
                    // re-scales re-coded it); the max rounded up by less than a 31st of its height over
                    // the mean each time it was coded: once, and once more per re-scale, of which there
                    // were at most log2(this scale's step / the first one's) since each at least doubles.
                    double step = series.precision();
                    int codings = 1 + (int) Math.ceil(Math.log(step / FIRST_STEP) / Math.log(2) - 1e-9);
                    double height = b[2] - series.mean(i) + step;
                    assertThat(series.mean(i)).as(point).isCloseTo(b[0] / b[1], within(step));
                    assertThat(series.max(i))
                            .as(point)
                            .isBetween(b[2] - step, b[2] + height * (Math.pow(32.0 / 31, codings) - 1) + 2 * step);
                }
                i++;
            }
        }
    }

    @Test
    void excess_isExactBelow64Steps_roundsUpByLessThanAThirtyFirst_andKeepsItsOrder() {
        int previous = -1;
        for (int steps = 0; steps <= 4_094; steps++) {
            int code = Excess.encode(steps);
            int back = Excess.decode(code);
            assertThat(code).isBetween(0, 255).isGreaterThanOrEqualTo(previous);
            if (steps < 64) {
                assertThat(back).isEqualTo(steps);
            } else {
                assertThat(back).isGreaterThanOrEqualTo(steps);
                assertThat(back - steps).as("%d steps", steps).isLessThan((int) Math.ceil(steps / 31.0));
            }
            previous = code;
        }
        assertThat(Excess.decode(Excess.encode(4_094))).isGreaterThanOrEqualTo(4_094);
    }

    /** A closed bucket's mean is within half a step of the scale of the true one. */
    private static org.assertj.core.data.Offset<Double> halfStep(HistorySeries series) {
        return within(series.precision() / 2 * (1 + 1e-9));
    }

    /**
     * A closed bucket's max is not below the largest sample by more than half a step, nor above it by
     * more than a 31st of its height over the mean and a step (D62).
     */
    private static void assertMax(HistorySeries series, int i, double largest) {
        double step = series.precision();
        assertThat(series.max(i))
                .as("max of point %d", i)
                .isBetween(largest - step / 2, largest + (largest - series.mean(i)) / 31 + step);
    }

    @Test
    void off_keepsNothing() {
        History off = History.off();
        DeviceRecord m1 = miner();
        off.writer(m1).record(0, 1, T0);

        assertThat(off.keeps(m1, 0)).isFalse();
        assertThat(off.series(m1, 0, HistoryRange.HOUR, T0).size()).isZero();
        assertThat(off.devices()).isZero();
    }
}
