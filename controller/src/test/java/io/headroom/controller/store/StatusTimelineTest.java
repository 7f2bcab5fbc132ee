package io.headroom.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTimelineTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void aChangeOfStatusOrReasonIsAnEntry_aNewMessageAloneIsNot() {
        StatusTimeline timeline = new StatusTimeline();
        timeline.record(T0, DeviceState.STALE, "awaiting-data", "waiting");
        timeline.record(T0.plusSeconds(1), DeviceState.ONLINE, "", "");
        timeline.record(T0.plusSeconds(2), DeviceState.ONLINE, "", "still fine");
        timeline.record(T0.plusSeconds(3), DeviceState.DEGRADED, "fan", "fan2 at 1200 rpm");
        timeline.record(T0.plusSeconds(4), DeviceState.DEGRADED, "fan", "fan2 at 900 rpm");
        timeline.record(T0.plusSeconds(5), DeviceState.DEGRADED, "board", "board2 lost");

        assertThat(timeline.entries())
                .extracting(StatusChange::status, StatusChange::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(DeviceState.STALE, "awaiting-data"),
                        org.assertj.core.groups.Tuple.tuple(DeviceState.ONLINE, ""),
                        org.assertj.core.groups.Tuple.tuple(DeviceState.DEGRADED, "fan"),
                        org.assertj.core.groups.Tuple.tuple(DeviceState.DEGRADED, "board"));
        assertThat(timeline.entries().get(2).message()).isEqualTo("fan2 at 1200 rpm");
    }

    @Test
    void pastItsCapacityTheOldestGo() {
        StatusTimeline timeline = new StatusTimeline();
        int changes = StatusTimeline.CAPACITY * 2 + 5;
        for (int i = 0; i < changes; i++) {
            timeline.record(T0.plusSeconds(i), i % 2 == 0 ? DeviceState.ONLINE : DeviceState.OFFLINE, "r" + i, "");
        }
        List<StatusChange> entries = timeline.entries();
        assertThat(entries).hasSize(StatusTimeline.CAPACITY);
        assertThat(entries.get(0).reason()).isEqualTo("r" + (changes - StatusTimeline.CAPACITY));
        assertThat(entries.get(entries.size() - 1).reason()).isEqualTo("r" + (changes - 1));
        assertThat(entries).extracting(StatusChange::at).isSorted();
    }

    @Test
    void aRebirthKeepsTheEarlierEntriesFirst_withoutRepeatingTheCarriedStatus() {
        StatusTimeline before = new StatusTimeline();
        before.record(T0, DeviceState.STALE, "awaiting-data", "");
        before.record(T0.plusSeconds(1), DeviceState.ONLINE, "", "");
        StatusTimeline reborn = new StatusTimeline();
        reborn.record(T0.plusSeconds(9), DeviceState.ONLINE, "", "");
        reborn.prepend(before);
        assertThat(reborn.entries()).extracting(StatusChange::at).containsExactly(T0, T0.plusSeconds(1));
    }

    @Test
    void theRecordKeepsItsTimelineThroughSetStatusAndMarkStale() {
        DeviceRecord record = new DeviceRecord(
                "m1",
                "a1",
                "miner",
                "S19",
                "p",
                "",
                3000,
                List.of(),
                List.of(),
                DeviceState.STALE,
                "awaiting-data",
                "",
                T0);
        record.setStatus(DeviceState.ONLINE, "", "", T0.plusSeconds(2));
        record.setStatus(DeviceState.OFFLINE, "timeout", "no answer within 5 s", T0.plusSeconds(30));
        record.markStaleIfLive("agent-death", "agent rack-1 died", T0.plusSeconds(60));
        assertThat(record.timeline())
                .extracting(StatusChange::status)
                .containsExactly(DeviceState.STALE, DeviceState.ONLINE, DeviceState.OFFLINE, DeviceState.STALE);
        assertThat(record.timeline().get(2).message()).isEqualTo("no answer within 5 s");
    }
}
