package io.headroom.controller.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AliasTableTest {

    @Test
    void find_manyAliases_resolvesEachAndMissesUnknown() {
        DeviceRecord device = new DeviceRecord(
                "d", "a", "miner", "", "", "", 0, List.of(), List.of(), DeviceState.STALE, "", "", Instant.EPOCH);
        AliasTable.Builder builder = new AliasTable.Builder();
        for (int i = 0; i < 1000; i++) {
            builder.put(i * 7919, device, i);
        }
        builder.put(-5, null, 3);
        AliasTable table = builder.build();
        assertThat(table.indexed()).isFalse();

        for (int i = 0; i < 1000; i++) {
            int entry = table.find(i * 7919);
            assertThat(entry).isNotNegative();
            assertThat(table.slot(entry)).isEqualTo(i);
            assertThat(table.device(entry)).isSameAs(device);
        }
        assertThat(table.slot(table.find(-5))).isEqualTo(AliasTable.IGNORED);
        assertThat(table.find(1)).isEqualTo(-1);
        assertThat(AliasTable.EMPTY.find(0)).isEqualTo(-1);
    }

    @Test
    void find_denseAliasesAsAgentsNumberThem_resolveByIndex_andEverythingElseMisses() {
        DeviceRecord device = new DeviceRecord(
                "d", "a", "miner", "", "", "", 0, List.of(), List.of(), DeviceState.STALE, "", "", Instant.EPOCH);
        AliasTable.Builder builder = new AliasTable.Builder();
        for (int alias = 1; alias <= 4_800; alias++) {
            builder.put(alias, alias % 2 == 0 ? device : null, alias % 12);
        }
        AliasTable table = builder.build();
        assertThat(table.indexed()).isTrue();

        for (int alias = 1; alias <= 4_800; alias++) {
            int entry = table.find(alias);
            assertThat(entry).isEqualTo(alias - 1);
            assertThat(table.slot(entry)).isEqualTo(alias % 2 == 0 ? alias % 12 : AliasTable.IGNORED);
        }
        // Not declared: zero, one past the last, beyond the index, and uint32 aliases above 2^31 (negative ints).
        for (int alias : new int[] {0, 4_801, 100_000, Integer.MAX_VALUE, -1, Integer.MIN_VALUE}) {
            assertThat(table.find(alias)).as("alias %d", alias).isEqualTo(-1);
        }
    }

    @Test
    void find_aBirthMixingSmallAndHugeAliases_stillResolvesEach() {
        DeviceRecord device = new DeviceRecord(
                "d", "a", "miner", "", "", "", 0, List.of(), List.of(), DeviceState.STALE, "", "", Instant.EPOCH);
        AliasTable table = new AliasTable.Builder()
                .put(1, device, 0)
                .put(2, device, 1)
                .put(-7, device, 2) // uint32 4,294,967,289 on the wire
                .put(1 << 30, device, 3)
                .build();
        assertThat(table.indexed()).isFalse();

        assertThat(table.slot(table.find(1))).isZero();
        assertThat(table.slot(table.find(2))).isEqualTo(1);
        assertThat(table.slot(table.find(-7))).isEqualTo(2);
        assertThat(table.slot(table.find(1 << 30))).isEqualTo(3);
        assertThat(table.find(3)).isEqualTo(-1);
    }
}
