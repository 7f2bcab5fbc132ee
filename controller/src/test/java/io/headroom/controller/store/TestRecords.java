package io.headroom.controller.store;

import java.time.Instant;
import java.util.List;

/** Device records for tests: an Antminer S19 XP on LuxOS (3,010 W, 140 TH/s nameplate), no capabilities. */
public final class TestRecords {

    private TestRecords() {}

    /** A miner of {@code agent} with the given metrics, in {@code status} since {@code since}, with no readings. */
    public static DeviceRecord miner(
            String id, String agent, DeviceState status, List<MetricSlot> slots, Instant since) {
        return new DeviceRecord(
                id,
                agent,
                "miner",
                "Antminer S19 XP",
                "luxor/luxos",
                "2025.4.8",
                3010,
                140,
                slots,
                List.of(),
                status,
                "",
                "",
                since);
    }
}
