package io.headroom.controller.triage;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.engine.CurtailedDevice;
import io.headroom.controller.engine.Curtailment;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.TestRecords;
import io.headroom.protocol.wire.Quality;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DeviceTriage#mayHave} prunes a filter's devices from their records (D64): it must never rule out a device
 * that has the flag, and for the flags it reads from the record alone (status, hottest chip) it says exactly
 * what the view's judgement says. Random miners: every status, chips hot and cool, BAD and unknown qualities,
 * stopped fans, dead boards, some curtailed.
 */
class DeviceTriageMayHaveTest {

    private static final Instant NOW = Instant.parse("2026-12-04T02:00:00Z");
    private static final long T = NOW.toEpochMilli();

    @Test
    void mayHave_neverRulesOutAFlagTheViewHas_andIsExactForStatusAndHeat() {
        Random random = new Random(9);
        int pruned = 0;
        int flagged = 0;
        for (int n = 0; n < 3_000; n++) {
            DeviceRecord record = miner("m" + n, random);
            DeviceTriage judge = new DeviceTriage(
                    85,
                    random.nextInt(5) == 0
                            ? Map.of(record.id(), new CurtailedDevice(record.id(), Curtailment.ASLEEP, 0, null, null))
                            : Map.of());
            Map<TriageFlag, String> flags = judge.flags(record.view());
            for (TriageFlag flag : TriageFlag.values()) {
                boolean may = judge.mayHave(flag, record);
                if (flags.containsKey(flag)) {
                    flagged++;
                    assertThat(may).as("%s of %s", flag, record.view()).isTrue();
                } else if (!may) {
                    pruned++;
                }
                if (flag == TriageFlag.HOT || flag == TriageFlag.OFFLINE || flag == TriageFlag.STALE) {
                    assertThat(may).as("%s of %s", flag, record.view()).isEqualTo(flags.containsKey(flag));
                }
            }
        }
        assertThat(flagged).isGreaterThan(1_000);
        assertThat(pruned).isGreaterThan(1_000);
    }

    private static DeviceRecord miner(String id, Random random) {
        List<MetricSlot> slots = new ArrayList<>(List.of(
                new MetricSlot("power", "", "W"),
                new MetricSlot("hashrate", "", "TH/s"),
                new MetricSlot("hashrate", "board1", "TH/s"),
                new MetricSlot("hashrate", "board2", "TH/s"),
                new MetricSlot("temperature.chip", "board1", "°C"),
                new MetricSlot("temperature.chip", "board2", "°C"),
                new MetricSlot("fan.speed", "fan1", "rpm"),
                new MetricSlot("mode", "", "")));
        DeviceState[] states = DeviceState.values();
        DeviceRecord record = TestRecords.miner(id, "rack-1", states[random.nextInt(states.length)], slots, NOW);
        double[] values = {
            3000,
            random.nextBoolean() ? 139 : 90,
            random.nextBoolean() ? 46 : 0,
            46,
            60 + random.nextInt(40),
            60 + random.nextInt(40),
            random.nextInt(4) == 0 ? 0 : 5400,
            random.nextInt(4) == 0 ? 0 : 1
        };
        int[] qualities = {
            Quality.QUALITY_GOOD_VALUE, Quality.QUALITY_UNCERTAIN_VALUE, Quality.QUALITY_BAD_VALUE, 77 /* unknown */
        };
        for (int slot = 0; slot < slots.size(); slot++) {
            if (random.nextInt(8) == 0) {
                continue; // never read
            }
            int quality = random.nextInt(3) == 0 ? qualities[random.nextInt(qualities.length)] : qualities[0];
            record.apply(slot, values[slot], T, quality, T);
        }
        return record;
    }
}
