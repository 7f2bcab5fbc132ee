package io.headroom.controller.ingest;

import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.DeviceStatus;
import io.headroom.protocol.wire.MetricDefinition;
import io.headroom.protocol.wire.MetricType;
import io.headroom.protocol.wire.Verb;

/** Builders for the wire messages the ingest tests feed in. */
public final class WireFixtures {
    private WireFixtures() {}

    public static MetricDefinition metric(int alias, String name, String instance) {
        return MetricDefinition.newBuilder()
                .setAlias(alias)
                .setName(name)
                .setInstance(instance)
                .setUnit(MetricDictionary.require(name).unit())
                .setType(MetricType.METRIC_TYPE_GAUGE)
                .build();
    }

    /** A verb that takes no value and no instance. */
    public static Capability verb(Verb verb) {
        return Capability.newBuilder().setVerb(verb).build();
    }

    /** set-power-target from 1200 to 3300 W in steps of 100 W, read back on power.target within 50 W. */
    public static Capability powerTarget() {
        return Capability.newBuilder()
                .setVerb(Verb.VERB_SET_POWER_TARGET)
                .setUnit("W")
                .setMin(1200)
                .setMax(3300)
                .setStep(100)
                .setSettleMs(30_000)
                .setRampMs(60_000)
                .setReadBackMetric("power.target")
                .setTolerance(50)
                .build();
    }

    /**
     * A miner with aliases {@code base+0} power, {@code base+1} hashrate, {@code base+2}
     * temperature.chip[board1], {@code base+3} temperature.chip[board2], accepting sleep, wake and
     * {@link #powerTarget()}.
     */
    public static DeviceDescriptor miner(String id, int base) {
        return DeviceDescriptor.newBuilder()
                .setId(id)
                .setKind(DeviceKind.DEVICE_KIND_MINER)
                .setModel("Antminer S19 XP")
                .setProfile("bitmain/stock")
                .setFirmware("2023.05")
                .setNameplatePowerW(3010)
                .setNameplateHashrateThs(140)
                .addMetrics(metric(base, MetricDictionary.POWER, ""))
                .addMetrics(metric(base + 1, MetricDictionary.HASHRATE, ""))
                .addMetrics(metric(base + 2, MetricDictionary.TEMPERATURE_CHIP, "board1"))
                .addMetrics(metric(base + 3, MetricDictionary.TEMPERATURE_CHIP, "board2"))
                .addCapabilities(verb(Verb.VERB_SLEEP))
                .addCapabilities(verb(Verb.VERB_WAKE))
                .addCapabilities(powerTarget())
                .build();
    }

    /** A PDU with metric alias {@code base} power, whose outlets 1 and 2 can be switched off and on. */
    public static DeviceDescriptor pdu(String id, int base) {
        return DeviceDescriptor.newBuilder()
                .setId(id)
                .setKind(DeviceKind.DEVICE_KIND_PDU)
                .setModel("AP8959")
                .setProfile("apc/rpdu2g")
                .setFirmware("6.9.6")
                .addMetrics(metric(base, MetricDictionary.POWER, ""))
                .addCapabilities(Capability.newBuilder()
                        .setVerb(Verb.VERB_OUTLET_OFF)
                        .addInstances("1")
                        .addInstances("2")
                        .setDangerous(true))
                .addCapabilities(Capability.newBuilder()
                        .setVerb(Verb.VERB_OUTLET_ON)
                        .addInstances("1")
                        .addInstances("2"))
                .build();
    }

    public static Birth.Builder birth(String agent, long bootId, long seq, long session) {
        return Birth.newBuilder()
                .setAgentId(agent)
                .setBootId(bootId)
                .setSeq(seq)
                .setPendingFromSeq(seq)
                .setSession(session)
                .setTimestampMs(1_700_000_000_000L)
                .setAgentVersion("test");
    }

    public static Data.Builder data(long bootId, long seq, long timestampMs) {
        return Data.newBuilder().setBootId(bootId).setSeq(seq).setTimestampMs(timestampMs);
    }

    public static DeviceStatus status(String deviceId, DeviceHealth health, String reason) {
        return DeviceStatus.newBuilder()
                .setDeviceId(deviceId)
                .setHealth(health)
                .setReason(reason)
                .build();
    }
}
