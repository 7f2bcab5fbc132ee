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
}
