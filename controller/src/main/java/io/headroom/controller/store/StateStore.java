package io.headroom.controller.store;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * Every device of the site, by id. Reads are lock-free and safe from any thread; device
 * registration (births, rare) is serialised so that two agents cannot both claim one device id.
 */
public final class StateStore {

    private final ConcurrentSkipListMap<String, DeviceRecord> devices = new ConcurrentSkipListMap<>();
    /** Guarded by {@code this}. */
    private final Map<String, Set<String>> idsByAgent = new HashMap<>();

    /** Registers the gauge {@code headroom.devices} tagged {@code status}. */
    public void bindTo(MeterRegistry registry) {
        for (DeviceState state : DeviceState.values()) {
            Gauge.builder(
                            "headroom.devices",
                            this,
                            store -> store.countByStatus().get(state))
                    .tag("status", state.name())
                    .description("Devices known to the controller, by status")
                    .register(registry);
        }
    }

    /**
     * Makes {@code replacements} the agent's complete device set: its devices not in the list are
     * removed. A device id currently held by another agent for which {@code ownerIsLive} is true
     * is refused; one held by a gone agent is taken over.
     *
     * @return the ids that were refused, in list order
     */
    public synchronized List<String> replaceAgentDevices(
            String agent, List<DeviceRecord> replacements, Predicate<String> ownerIsLive) {
        List<String> refused = new ArrayList<>();
        Set<String> newIds = new HashSet<>();
        for (DeviceRecord record : replacements) {
            if (!record.agent().equals(agent)) {
                throw new IllegalArgumentException(
                        "device " + record.id() + " belongs to " + record.agent() + ", not " + agent);
            }
            DeviceRecord existing = devices.get(record.id());
            if (existing != null && !existing.agent().equals(agent)) {
                if (ownerIsLive.test(existing.agent())) {
                    refused.add(record.id());
                    continue;
                }
                Set<String> previousOwner = idsByAgent.get(existing.agent());
                if (previousOwner != null) {
                    previousOwner.remove(record.id());
                }
            }
            devices.put(record.id(), record);
            newIds.add(record.id());
        }
        Set<String> oldIds = idsByAgent.put(agent, newIds);
        if (oldIds != null) {
            for (String id : oldIds) {
                if (!newIds.contains(id)) {
                    devices.remove(id);
                }
            }
        }
        return refused;
    }

    /** The live record of a device, for writers; {@code null} if unknown. */
    public DeviceRecord record(String deviceId) {
        return devices.get(deviceId);
    }

    /** A copy of one device's state. */
    public Optional<DeviceView> device(String deviceId) {
        DeviceRecord record = devices.get(deviceId);
        return record == null ? Optional.empty() : Optional.of(record.view());
    }

    /** Copies of every device's state, sorted by id. */
    public List<DeviceView> devices() {
        List<DeviceView> views = new ArrayList<>(devices.size());
        for (DeviceRecord record : devices.values()) {
            views.add(record.view());
        }
        return views;
    }

    public int size() {
        return devices.size();
    }

    /** Number of devices in each status; every status is present. */
    public Map<DeviceState, Integer> countByStatus() {
        Map<DeviceState, Integer> counts = new EnumMap<>(DeviceState.class);
        for (DeviceState state : DeviceState.values()) {
            counts.put(state, 0);
        }
        for (DeviceRecord record : devices.values()) {
            counts.merge(record.status(), 1, Integer::sum);
        }
        return counts;
    }
}
