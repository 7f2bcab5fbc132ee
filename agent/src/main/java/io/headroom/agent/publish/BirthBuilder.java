package io.headroom.agent.publish;

import io.headroom.agent.AgentVersion;
import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.DeviceDescriptor;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds the agent's Birth: who it is, which devices it has (with the model and firmware they
 * reported, once identified) and every metric alias it will use, as of now. Marks the aliases it
 * declared as declared.
 *
 * <p>Kept apart from {@link MqttPublisher} because what a Birth says is a question of devices and
 * telemetry, not of the connection; the publisher decides when a Birth goes out and with which
 * sequence numbers.
 */
final class BirthBuilder {
    private final String agentId;
    private final String agentVersion = AgentVersion.current();
    private final Supplier<List<BirthDevice>> devices;
    private final TelemetryBuffer telemetry;
    private final AliasRegistry aliases;

    /**
     * @param devices asked for at every Birth: a device configured with {@code profile: auto} gets
     *     its profile once it has been identified
     */
    BirthBuilder(
            String agentId, Supplier<List<BirthDevice>> devices, TelemetryBuffer telemetry, AliasRegistry aliases) {
        this.agentId = agentId;
        this.devices = devices;
        this.telemetry = telemetry;
        this.aliases = aliases;
    }

    /** Assigns an alias to every metric the telemetry knows of, so that the Birth declares them all. */
    void declareAll() {
        telemetry.declareAll(aliases);
    }

    /** A Birth with these numbers; the aliases it declares count as declared from here on. */
    Birth.Builder build(long bootId, long seq, long session, long pendingFromSeq, long timestampMs) {
        Birth.Builder birth = Birth.newBuilder()
                .setAgentId(agentId)
                .setBootId(bootId)
                .setSeq(seq)
                .setTimestampMs(timestampMs)
                .setSession(session)
                .setPendingFromSeq(pendingFromSeq)
                .setAgentVersion(agentVersion);
        for (BirthDevice device : devices.get()) {
            DeviceIdentity identity = telemetry.identity(device.id());
            birth.addDevices(DeviceDescriptor.newBuilder()
                    .setId(device.id())
                    .setKind(device.kind())
                    .setProfile(device.profile())
                    .setModel(identity == null ? "" : identity.model())
                    .setFirmware(identity == null ? "" : identity.firmware())
                    .setNameplatePowerW(device.nameplatePowerWatts())
                    .setNameplateHashrateThs(device.nameplateHashrateThs())
                    .addAllMetrics(aliases.definitions(device.id()))
                    .addAllCapabilities(device.capabilities()));
        }
        aliases.markDeclared();
        return birth;
    }
}
