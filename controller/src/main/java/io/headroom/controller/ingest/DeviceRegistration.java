package io.headroom.controller.ingest;

import io.headroom.controller.log.RateLimitedLog;
import io.headroom.controller.store.DeviceCapability;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.DeviceKinds;
import io.headroom.protocol.MetricDescriptor;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.MetricDefinition;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the devices of a Birth into device records owned by the agent: checks each metric against
 * the metric dictionary, carries status and readings over from the agent's previous Birth, asks the
 * {@link StateStore} for ownership (one agent per device; a conflict is refused and logged) and
 * builds the session's alias table.
 *
 * <p>Kept apart from {@link Ingest}, which owns sequencing and acks: what a Birth means for the
 * device registry is its own concept. Called under the session's lock. Logs under {@link Ingest}'s
 * logger and rate-limited log, as before the split.
 */
final class DeviceRegistration {
    private final Logger logger = LoggerFactory.getLogger(Ingest.class);
    private final StateStore store;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final RateLimitedLog limitedLog;

    DeviceRegistration(StateStore store, Clock clock, IngestMetrics metrics, RateLimitedLog limitedLog) {
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
        this.limitedLog = limitedLog;
    }

    /**
     * Registers the devices of an accepted Birth as the agent's, in the store and in the session
     * (devices, alias table); a device another agent owns is refused, counted and logged as a
     * conflict.
     *
     * @return agents to ask for a rebirth because a device they claim was released
     */
    List<String> register(AgentSession session, Birth birth) {
        Instant now = clock.instant();
        String agent = session.agentId;
        List<DeviceRecord> records = new ArrayList<>(birth.getDevicesCount());
        // Per device, the (alias, slot) pairs it declared; slot IGNORED for refused metrics.
        List<int[]> aliasSlots = new ArrayList<>(birth.getDevicesCount());
        for (DeviceDescriptor device : birth.getDevicesList()) {
            List<MetricSlot> slots = new ArrayList<>(device.getMetricsCount());
            int[] pairs = new int[device.getMetricsCount() * 2];
            for (int m = 0; m < device.getMetricsCount(); m++) {
                MetricDefinition metric = device.getMetrics(m);
                pairs[2 * m] = metric.getAlias();
                pairs[2 * m + 1] = AliasTable.IGNORED;
                MetricDescriptor known = MetricDictionary.find(metric.getName());
                if (known == null) {
                    metrics.metricsRejectedUnknownName.increment();
                    if (session.firstWarning("metric:" + metric.getName())) {
                        logger.warn(
                                "agent {}: metric '{}' is not in the metric dictionary; its samples are ignored",
                                agent,
                                metric.getName());
                    }
                } else if (!known.unit().equals(metric.getUnit())) {
                    metrics.metricsRejectedUnitMismatch.increment();
                    if (session.firstWarning("unit:" + metric.getName())) {
                        logger.warn(
                                "agent {}: metric '{}' declared in '{}', the dictionary says '{}'; its samples"
                                        + " are ignored",
                                agent,
                                metric.getName(),
                                metric.getUnit(),
                                known.unit());
                    }
                } else {
                    pairs[2 * m + 1] = slots.size();
                    slots.add(new MetricSlot(metric.getName(), metric.getInstance(), metric.getUnit()));
                }
            }
            List<DeviceCapability> capabilities = new ArrayList<>(device.getCapabilitiesCount());
            for (Capability capability : device.getCapabilitiesList()) {
                capabilities.add(DeviceCapability.fromWire(capability));
            }
            DeviceRecord previous = store.record(device.getId());
            boolean ours = previous != null && previous.agent().equals(agent);
            // A rebirth on a live connection (e.g. asked for after a gap) changes nothing about the
            // device's health, so its status carries over; otherwise it waits for a first report.
            boolean carryOver = ours && previous.status() != DeviceState.STALE;
            var view = carryOver ? previous.view() : null;
            DeviceRecord record = new DeviceRecord(
                    device.getId(),
                    agent,
                    DeviceKinds.name(device.getKind()),
                    device.getModel(),
                    device.getProfile(),
                    device.getFirmware(),
                    device.getNameplatePowerW(),
                    device.getNameplateHashrateThs(),
                    slots,
                    capabilities,
                    carryOver ? view.status() : DeviceState.STALE,
                    carryOver ? view.statusReason() : Ingest.AWAITING_DATA,
                    carryOver ? view.statusMessage() : "waiting for the agent's first status report",
                    carryOver ? view.statusSince() : now);
            if (ours) {
                previous.copyReadingsTo(record);
            }
            record.agentClock(session.clock);
            records.add(record);
            aliasSlots.add(pairs);
        }
        StateStore.Registration registration = store.replaceAgentDevices(agent, records);
        Set<String> refused = new HashSet<>(registration.refused());
        AliasTable.Builder aliases = new AliasTable.Builder();
        List<DeviceRecord> accepted = new ArrayList<>(records.size());
        Map<String, DeviceRecord> byId = new HashMap<>();
        for (int d = 0; d < records.size(); d++) {
            DeviceRecord record = records.get(d);
            boolean ok = !refused.contains(record.id());
            if (ok) {
                accepted.add(record);
                byId.put(record.id(), record);
            } else {
                metrics.devicesRejectedOwned.increment();
                DeviceRecord owner = store.record(record.id());
                limitedLog.error(
                        "device-conflict",
                        "device {} is reported by agents {}: a conflict; {} keeps it (its data is used), {}'s"
                                + " samples for it are ignored and commands to it are refused until only one"
                                + " agent reports it",
                        record.id(),
                        owner == null ? List.of(agent) : owner.conflict(),
                        owner == null ? "its owner" : owner.agent(),
                        agent);
            }
            int[] pairs = aliasSlots.get(d);
            for (int p = 0; p < pairs.length; p += 2) {
                aliases.put(pairs[p], ok ? record : null, pairs[p + 1]);
            }
        }
        session.aliases = aliases.build();
        session.devices = List.copyOf(accepted);
        session.devicesById = byId;
        List<String> waiting = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : registration.released().entrySet()) {
            logger.warn(
                    "agent {} no longer reports device {}; {} claimed it and may register it with a fresh Birth",
                    agent,
                    entry.getKey(),
                    entry.getValue());
            for (String claimant : entry.getValue()) {
                if (!waiting.contains(claimant)) {
                    waiting.add(claimant);
                }
            }
        }
        return waiting;
    }
}
