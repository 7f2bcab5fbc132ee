package io.headroom.controller.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.headroom.controller.store.TestRecords;
import io.headroom.protocol.wire.Quality;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The fleet snapshot reads the live records, not a copy of every device (D64). Held here to what the same
 * pass over {@link StateStore#devices() views} finds, with {@link FleetSnapshot#hottestChip(DeviceView)} as
 * the rule for a chip reading, over random fleets: chips with and without an instance, missing, BAD,
 * implausible and uncertain readings, temperatures that are not chips, devices with no chip at all, every
 * status.
 */
class FleetSnapshotTest {

    private static final Instant NOW = Instant.parse("2026-12-04T01:00:00Z");
    private static final long T = NOW.toEpochMilli();
    private static final double HOT_C = 85;

    @Test
    void take_findsWhatAPassOverViewsFinds_overRandomFleets() {
        int hotSeen = 0;
        int offlineSeen = 0;
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            StateStore store = new StateStore();
            Map<String, String> racks = new TreeMap<>();
            for (int agent = 0; agent < 3; agent++) {
                List<DeviceRecord> records = new ArrayList<>();
                for (int d = 0; d < 15; d++) {
                    String id = "a" + agent + "-m" + d;
                    records.add(device(id, "a" + agent, random));
                    if (random.nextInt(4) > 0) {
                        racks.put(id, "rack" + random.nextInt(3));
                    }
                }
                store.replaceAgentDevices("a" + agent, records);
            }

            FleetSnapshot snapshot = FleetSnapshot.take(store, null, racks, null, HOT_C, NOW);

            FleetSnapshot expected = fromViews(store.devices(), racks);
            assertThat(snapshot.rackDevices()).as("seed %d", seed).isEqualTo(expected.rackDevices());
            assertThat(snapshot.agentDevices()).as("seed %d", seed).isEqualTo(expected.agentDevices());
            assertThat(snapshot.rackHottestC()).as("seed %d", seed).isEqualTo(expected.rackHottestC());
            assertThat(snapshot.hot()).as("seed %d", seed).isEqualTo(expected.hot());
            assertThat(snapshot.offline()).as("seed %d", seed).isEqualTo(expected.offline());
            hotSeen += snapshot.hot().size();
            offlineSeen += snapshot.offline().size();
        }
        // The fleets are made hot and troubled enough for every rule to be tried.
        assertThat(hotSeen).isGreaterThan(20);
        assertThat(offlineSeen).isGreaterThan(20);
    }

    @Test
    void hottestChip_skipsBadAndImplausibleReadings_andIsNaNWithoutAChip() {
        DeviceRecord record = TestRecords.miner(
                "m1",
                "a1",
                DeviceState.ONLINE,
                List.of(
                        new MetricSlot("temperature.chip", "board1", "°C"),
                        new MetricSlot("temperature.chip", "board2", "°C"),
                        new MetricSlot("temperature.chip", "board3", "°C"),
                        new MetricSlot("temperature.board", "board1", "°C")),
                NOW);
        assertThat(record.hottestChipC()).isNaN();
        record.apply(3, 120, T, Quality.QUALITY_GOOD_VALUE, T); // a board, not a chip
        assertThat(record.hottestChipC()).isNaN();
        record.apply(0, 71, T, Quality.QUALITY_UNCERTAIN_VALUE, T);
        record.apply(1, 99, T, Quality.QUALITY_BAD_VALUE, T);
        record.apply(2, 5_000, T, Quality.QUALITY_GOOD_VALUE, T); // outside the dictionary's range: stored BAD

        assertThat(record.hottestChipC()).isEqualTo(71);
        assertThat(record.hottestChipC()).isEqualTo(FleetSnapshot.hottestChip(record.view()));
    }

    private static DeviceRecord device(String id, String agent, Random random) {
        List<MetricSlot> slots = new ArrayList<>();
        slots.add(new MetricSlot("power", "", "W"));
        int chips = random.nextInt(4);
        for (int c = 0; c < chips; c++) {
            slots.add(new MetricSlot("temperature.chip", c == 0 && random.nextBoolean() ? "" : "board" + c, "°C"));
        }
        slots.add(new MetricSlot("temperature.board", "board1", "°C"));
        DeviceState[] states = DeviceState.values();
        DeviceRecord record = TestRecords.miner(id, agent, states[random.nextInt(states.length)], slots, NOW);
        int[] qualities = {
            Quality.QUALITY_GOOD_VALUE, Quality.QUALITY_UNCERTAIN_VALUE, Quality.QUALITY_BAD_VALUE, 77 /* unknown */
        };
        for (int slot = 0; slot < slots.size(); slot++) {
            if (random.nextInt(5) == 0) {
                continue; // never read
            }
            double value = random.nextInt(10) == 0 ? 9_999 : 40 + random.nextInt(60);
            record.apply(slot, value, T, qualities[random.nextInt(qualities.length)], T);
        }
        return record;
    }

    /** The pass as it was made before D64, over a view of each device. */
    private static FleetSnapshot fromViews(List<DeviceView> devices, Map<String, String> racks) {
        Map<String, Map<DeviceState, Integer>> byRack = new TreeMap<>();
        Map<String, Double> hottest = new TreeMap<>();
        Map<String, Map<DeviceState, Integer>> byAgent = new TreeMap<>();
        List<FleetSnapshot.DeviceHeat> hot = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        for (DeviceView device : devices) {
            String rack = racks.getOrDefault(device.id(), FleetSnapshot.NO_RACK);
            byRack.computeIfAbsent(rack, k -> new EnumMap<>(DeviceState.class)).merge(device.status(), 1, Integer::sum);
            byAgent.computeIfAbsent(device.agent(), k -> new EnumMap<>(DeviceState.class))
                    .merge(device.status(), 1, Integer::sum);
            if (device.status() == DeviceState.OFFLINE) {
                offline.add(device.id());
            }
            boolean live = device.status() == DeviceState.ONLINE || device.status() == DeviceState.DEGRADED;
            double chip = FleetSnapshot.hottestChip(device);
            if (live && !Double.isNaN(chip)) {
                hottest.merge(rack, chip, Math::max);
                if (chip >= HOT_C) {
                    hot.add(new FleetSnapshot.DeviceHeat(device.id(), rack, chip));
                }
            }
        }
        return new FleetSnapshot(NOW, byRack, hottest, byAgent, hot, offline, List.of(), null);
    }
}
