package io.headroom.controller.store;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every device of the site, by id. Reads are lock-free and safe from any thread; device
 * registration (births, rare) is serialised so that two agents cannot both own one device id: the
 * second is recorded as a claim and the device shown in conflict.
 */
public final class StateStore {

    private final ConcurrentSkipListMap<String, DeviceRecord> devices = new ConcurrentSkipListMap<>();
    /**
     * The same records by id in a hash map: the engine looks up every device every tick, and a skip
     * list's string compares cost more than the rest of a 100,000-device tick. Written with
     * {@link #devices}, under this store's monitor.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, DeviceRecord> byId =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Guarded by {@code this}. */
    private final Map<String, Set<String>> idsByAgent = new HashMap<>();
    /** Device id to the agents other than its owner that claim it, in claim order. Guarded by {@code this}. */
    private final Map<String, LinkedHashSet<String>> claimants = new HashMap<>();

    private volatile OwnershipHandover handover = OwnershipHandover.NONE;

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
     * What {@link #replaceAgentDevices} did.
     *
     * @param refused ids in the list that another agent owns: claimed, in conflict, not registered
     * @param released ids the agent owned, no longer lists, and others claim, with those claimants
     *     in claim order: the device is gone until one of them reports it again in a Birth
     */
    public record Registration(List<String> refused, Map<String, List<String>> released) {}

    /**
     * Makes {@code replacements} the agent's complete device set: its devices not in the list are
     * removed.
     *
     * <p>Ownership never moves silently (issue 8, problem 5): a device id that another agent owns,
     * connected or not, stays with that owner (its data keeps flowing) and is only claimed by this
     * agent; the owner's record then names both in {@link DeviceRecord#conflict()}, and commands to
     * it are refused. The claim ends when this agent's Birth no longer lists the id; ownership is
     * released only by the owner's own Birth no longer listing it.
     */
    public synchronized Registration replaceAgentDevices(String agent, List<DeviceRecord> replacements) {
        List<String> refused = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        Set<String> newIds = new HashSet<>();
        for (DeviceRecord record : replacements) {
            if (!record.agent().equals(agent)) {
                throw new IllegalArgumentException(
                        "device " + record.id() + " belongs to " + record.agent() + ", not " + agent);
            }
            listed.add(record.id());
            DeviceRecord existing = devices.get(record.id());
            if (existing != null && !existing.agent().equals(agent)) {
                claimants
                        .computeIfAbsent(record.id(), id -> new LinkedHashSet<>())
                        .add(agent);
                existing.conflict(conflictOf(existing.agent(), record.id()));
                refused.add(record.id());
                continue;
            }
            devices.put(record.id(), record);
            byId.put(record.id(), record);
            record.conflict(conflictOf(agent, record.id()));
            newIds.add(record.id());
        }
        // Claims this agent no longer makes.
        for (Iterator<Map.Entry<String, LinkedHashSet<String>>> it =
                        claimants.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<String, LinkedHashSet<String>> claim = it.next();
            if (!listed.contains(claim.getKey()) && claim.getValue().remove(agent)) {
                DeviceRecord owned = devices.get(claim.getKey());
                if (owned != null) {
                    owned.conflict(conflictOf(owned.agent(), claim.getKey()));
                }
            }
            if (claim.getValue().isEmpty()) {
                it.remove();
            }
        }
        Map<String, List<String>> released = new LinkedHashMap<>();
        Set<String> oldIds = idsByAgent.put(agent, newIds);
        if (oldIds != null) {
            for (String id : oldIds) {
                if (!newIds.contains(id)) {
                    devices.remove(id);
                    byId.remove(id);
                    LinkedHashSet<String> waiting = claimants.remove(id);
                    if (waiting != null && !waiting.isEmpty()) {
                        released.put(id, List.copyOf(waiting));
                    }
                }
            }
        }
        return new Registration(refused, released);
    }

    /** Registers who answers {@link #releaseOwnership}'s questions; ingest does, once it runs. */
    public void handover(OwnershipHandover handover) {
        this.handover = Objects.requireNonNull(handover, "handover");
    }

    /**
     * An admin's way out of a conflict whose owner never comes back (issue 8, problem 5): the device
     * is removed from its owner, which must not be connected, and the agents that claim it are asked
     * for a fresh Birth; the first to send one owns it. Ownership moves only by this explicit,
     * audited act or by the owner's own Birth no longer listing the device; never silently. Should the
     * old owner return and list the device, it is the claimant then, and the device is in conflict again.
     */
    public OwnershipRelease releaseOwnership(String deviceId) {
        OwnershipHandover handover = this.handover;
        OwnershipRelease release;
        synchronized (this) {
            DeviceRecord record = devices.get(deviceId);
            LinkedHashSet<String> waiting = claimants.get(deviceId);
            if (record == null) {
                return new OwnershipRelease(OwnershipRelease.Outcome.NO_SUCH_DEVICE, "", List.of());
            }
            String owner = record.agent();
            if (waiting == null || waiting.isEmpty()) {
                return new OwnershipRelease(OwnershipRelease.Outcome.NOT_IN_CONFLICT, owner, List.of());
            }
            if (handover.connected(owner)) {
                return new OwnershipRelease(OwnershipRelease.Outcome.OWNER_CONNECTED, owner, List.copyOf(waiting));
            }
            devices.remove(deviceId);
            byId.remove(deviceId);
            Set<String> owned = idsByAgent.get(owner);
            if (owned != null) {
                owned.remove(deviceId);
            }
            claimants.remove(deviceId);
            release = new OwnershipRelease(OwnershipRelease.Outcome.RELEASED, owner, List.copyOf(waiting));
        }
        // Outside the lock: ingest takes each claimant's session lock to ask for its Birth.
        handover.released(deviceId, release.claimants());
        return release;
    }

    /** Owner and claimants of {@code id}, or empty when no one but the owner claims it. Holds {@code this}. */
    private List<String> conflictOf(String owner, String id) {
        LinkedHashSet<String> others = claimants.get(id);
        if (others == null || others.isEmpty()) {
            return List.of();
        }
        List<String> agents = new ArrayList<>(others.size() + 1);
        agents.add(owner);
        agents.addAll(others);
        return agents;
    }

    /**
     * The site's power as the sum of trusted device-total power readings; see {@link SitePower}.
     * Readings marked BAD (implausible, e.g. -250,000 W) and devices not ONLINE or DEGRADED are
     * left out and counted as excluded.
     */
    public SitePower sitePower() {
        double watts = 0;
        int counted = 0;
        int excluded = 0;
        for (DeviceRecord record : devices.values()) {
            double power = record.truthfulPowerW();
            if (!Double.isNaN(power)) {
                watts += power;
                counted++;
            } else if (record.hasPowerReading()) {
                excluded++;
            }
        }
        return new SitePower(watts, counted, excluded);
    }

    /** The live record of a device, for writers; {@code null} if unknown. */
    public DeviceRecord record(String deviceId) {
        return byId.get(deviceId);
    }

    /** A copy of one device's state. */
    public Optional<DeviceView> device(String deviceId) {
        DeviceRecord record = byId.get(deviceId);
        return record == null ? Optional.empty() : Optional.of(record.view());
    }

    /**
     * Copies of every device's state, sorted by id, all at once: for tests and tools. The controller's own passes
     * over the fleet read {@link #records()} and make a view only of what they hand out (D64).
     */
    public List<DeviceView> devices() {
        List<DeviceView> views = new ArrayList<>(devices.size());
        for (DeviceRecord record : devices.values()) {
            views.add(record.view());
        }
        return views;
    }

    /**
     * The live records, sorted by id, for a pass over the whole fleet that reads a few values of each
     * device and must not copy every one ({@link #devices()} builds a view of each: at 100,000 devices
     * some 200 MB, all alive until the pass ends, which is what G1's young collections then copy: D64).
     * Readers only; a record's own methods read it consistently.
     */
    public Collection<DeviceRecord> records() {
        return Collections.unmodifiableCollection(devices.values());
    }

    public int size() {
        return devices.size();
    }

    /** Number of devices in each status; every status is present. */
    public Map<DeviceState, Integer> countByStatus() {
        int[] byOrdinal = new int[DeviceState.values().length];
        for (DeviceRecord record : devices.values()) {
            byOrdinal[record.status().ordinal()]++;
        }
        Map<DeviceState, Integer> counts = new EnumMap<>(DeviceState.class);
        for (DeviceState state : DeviceState.values()) {
            counts.put(state, byOrdinal[state.ordinal()]);
        }
        return counts;
    }
}
