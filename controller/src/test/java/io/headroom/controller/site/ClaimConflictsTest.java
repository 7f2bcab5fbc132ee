package io.headroom.controller.site;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.headroom.controller.store.TestRecords;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The site view's claimed-twice problems, read from the store's live records (D64). */
class ClaimConflictsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T02:00:00Z");

    private static DeviceRecord miner(String id, String agent) {
        return TestRecords.miner(id, agent, DeviceState.ONLINE, List.of(new MetricSlot("power", "", "W")), NOW);
    }

    @Test
    void aDeviceTwoAgentsClaim_isOneProblemNamingBoth_andOthersAreNone() {
        StateStore store = new StateStore();
        store.replaceAgentDevices("rack-1", List.of(miner("m1", "rack-1"), miner("m2", "rack-1")));
        store.replaceAgentDevices("rack-2", List.of(miner("m2", "rack-2"), miner("m3", "rack-2")));

        List<SiteProblem> problems = ClaimConflicts.of(store).current();

        assertThat(problems)
                .containsExactly(new SiteProblem(
                        SiteProblem.CLAIMED_TWICE,
                        "m2",
                        "m2 is claimed by rack-1 and rack-2; commands to it are refused until one agent stops"
                                + " reporting it"));
        assertThat(ClaimConflicts.of(new StateStore()).current()).isEmpty();
    }
}
