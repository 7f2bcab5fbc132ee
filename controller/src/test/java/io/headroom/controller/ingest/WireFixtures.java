package io.headroom.controller.ingest;

import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.DeviceStatus;
import io.headroom.protocol.wire.MetricDefinition;
import io.headroom.protocol.wire.MetricType;

/** Builders for the wire messages the ingest tests feed in. */
public final class WireFixtures {
    private WireFixtures() {}

    public static MetricDefinition metric(int alias, String name, String instance) {
        return MetricDefinition.newBuilder().setAlias(alias).setName(name).setInstance(instance)
                .setUnit(MetricDictionary.require(name).unit()).setType(MetricType.METRIC_TYPE_GAUGE).build();
    }

    /**
     * A miner with aliases {@code base+0} power, {@code base+1} hashrate, {@code base+2}
     * temperature.chip[board1], {@code base+3} temperature.chip[board2].
     */
    public static DeviceDescriptor miner(String id, int base) {
        return DeviceDescriptor.newBuilder().setId(id).setKind(DeviceKind.DEVICE_KIND_MINER)
                .setModel("Antminer S19 XP").setProfile("bitmain/stock").setFirmware("2023.05")
                .setNameplatePowerW(3010)
                .addMetrics(metric(base, MetricDictionary.POWER, ""))
                .addMetrics(metric(base + 1, MetricDictionary.HASHRATE, ""))
                .addMetrics(metric(base + 2, MetricDictionary.TEMPERATURE_CHIP, "board1"))
                .addMetrics(metric(base + 3, MetricDictionary.TEMPERATURE_CHIP, "board2"))
                .build();
    }

    public static Birth.Builder birth(String agent, long bootId, long seq, long session) {
        return Birth.newBuilder().setAgentId(agent).setBootId(bootId).setSeq(seq).setPendingFromSeq(seq)
                .setSession(session).setTimestampMs(1_700_000_000_000L).setAgentVersion("test");
    }

    public static Data.Builder data(long bootId, long seq, long timestampMs) {
        return Data.newBuilder().setBootId(bootId).setSeq(seq).setTimestampMs(timestampMs);
    }

    public static DeviceStatus status(String deviceId, DeviceHealth health, String reason) {
        return DeviceStatus.newBuilder().setDeviceId(deviceId).setHealth(health).setReason(reason).build();
    }
}
