package io.headroom.controller.store;

import io.headroom.protocol.MetricDescriptor;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.Verb;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The live, mutable state of one device: what its birth declared (metrics and capabilities), the
 * latest value of each metric in primitive arrays indexed by metric slot, and its status. A rebirth
 * replaces the whole record, so capabilities are exactly those of the latest birth.
 *
 * <p>Written by ingest only; thread-safe. Every method holds this record's monitor, for a few
 * array accesses or, when ingest applies a device's samples of one Data message, for that one
 * {@link SampleBatch} (one acquisition per device and message, not per sample: D53). Readers
 * ({@link #view()}, {@link #sample()}) copy under the same monitor, so they always see a consistent
 * copy: never a value with another sample's stamp, and a batch either wholly or not at all.
 */
public final class DeviceRecord {

    private static final long NEVER = DeviceSample.NEVER;

    /** What {@link #apply(int, double, long, int, long)} did with a sample. */
    public enum Applied {
        /** Stored as given. */
        STORED,
        /** Stored, but with quality BAD: outside the metric dictionary's plausible range. */
        IMPLAUSIBLE,
        /** Not stored: older than the stored sample, which is not ahead of the controller's clock. */
        OUT_OF_ORDER
    }

    /** Changes of status or reason each device keeps ({@link #timeline()}); the oldest go first. */
    public static final int TIMELINE_CAPACITY = StatusTimeline.CAPACITY;

    private final String id;
    private final String agent;
    private final String kind;
    private final String model;
    private final String profile;
    private final String firmware;
    private final double nameplatePowerW;
    private final double nameplateHashrateThs;
    /** These four come from the device's {@link MetricLayout}, shared with every device of the same metrics. */
    private final MetricSlot[] slots;
    /** Display key of each slot, built once per layout (a key is a new string each time it is derived). */
    private final String[] displayKeys;

    private final Map<String, Integer> slotByKey;
    /** The dictionary entry of each slot (null for a name the dictionary lacks: no range to check). */
    private final MetricDescriptor[] descriptors;

    private final int[] chipSlots;
    /** In birth order; immutable. */
    private final List<DeviceCapability> capabilities;

    private final Map<Verb, DeviceCapability> capabilityByVerb;
    /** The capabilities as the capability rules take them, built once per Birth, not per command. */
    private final List<Capability> wireCapabilities;

    private final double[] values;
    private final long[] atMillis;
    private final byte[] quality;

    private DeviceState status;
    private String statusReason;
    private String statusMessage;
    private long statusSinceMillis;
    /** Guarded by {@code this}. */
    private final StatusTimeline timeline = new StatusTimeline();
    /** Owner first, then the other agents claiming this id; empty when no one else does. Set by the store. */
    private volatile List<String> conflict = List.of();

    private volatile AgentClock agentClock;

    /**
     * A device with no readings yet, in the given status.
     *
     * @param capabilities every verb it accepts, at most one per verb; empty: it accepts no command
     * @throws IllegalArgumentException if a verb is listed twice
     */
    public DeviceRecord(
            String id,
            String agent,
            String kind,
            String model,
            String profile,
            String firmware,
            double nameplatePowerW,
            List<MetricSlot> slots,
            List<DeviceCapability> capabilities,
            DeviceState status,
            String statusReason,
            String statusMessage,
            Instant statusSince) {
        this(
                id,
                agent,
                kind,
                model,
                profile,
                firmware,
                nameplatePowerW,
                0,
                slots,
                capabilities,
                status,
                statusReason,
                statusMessage,
                statusSince);
    }

    /**
     * A device with no readings yet, in the given status, with the rated hashrate its profile states.
     *
     * @param nameplateHashrateThs rated hashrate in TH/s (miners); 0 when unknown
     * @param capabilities every verb it accepts, at most one per verb; empty: it accepts no command
     * @throws IllegalArgumentException if a verb is listed twice
     */
    public DeviceRecord(
            String id,
            String agent,
            String kind,
            String model,
            String profile,
            String firmware,
            double nameplatePowerW,
            double nameplateHashrateThs,
            List<MetricSlot> slots,
            List<DeviceCapability> capabilities,
            DeviceState status,
            String statusReason,
            String statusMessage,
            Instant statusSince) {
        this.id = Objects.requireNonNull(id, "id");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.model = Objects.requireNonNull(model, "model");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.firmware = Objects.requireNonNull(firmware, "firmware");
        this.nameplatePowerW = nameplatePowerW;
        this.nameplateHashrateThs = nameplateHashrateThs;
        // Shared by every device that declares the same metrics: never written after it is built.
        MetricLayout layout = MetricLayout.of(slots);
        this.slots = layout.slots;
        this.displayKeys = layout.displayKeys;
        this.slotByKey = layout.slotByKey;
        this.descriptors = layout.descriptors;
        this.chipSlots = layout.chipSlots;
        this.capabilities = List.copyOf(capabilities);
        EnumMap<Verb, DeviceCapability> byVerb = new EnumMap<>(Verb.class);
        for (DeviceCapability capability : this.capabilities) {
            if (byVerb.put(capability.verb(), capability) != null) {
                throw new IllegalArgumentException("capabilities: " + capability.verb() + " listed twice for " + id);
            }
        }
        this.capabilityByVerb = byVerb;
        this.wireCapabilities =
                this.capabilities.stream().map(DeviceCapability::toWire).toList();
        this.values = new double[this.slots.length];
        this.atMillis = new long[this.slots.length];
        java.util.Arrays.fill(this.atMillis, NEVER);
        this.quality = new byte[this.slots.length];
        this.status = Objects.requireNonNull(status, "status");
        this.statusReason = Objects.requireNonNull(statusReason, "statusReason");
        this.statusMessage = Objects.requireNonNull(statusMessage, "statusMessage");
        this.statusSinceMillis = statusSince.toEpochMilli();
        timeline.record(statusSince, status, statusReason, statusMessage);
    }

    public String id() {
        return id;
    }

    public String agent() {
        return agent;
    }

    public String kind() {
        return kind;
    }

    public int slotCount() {
        return slots.length;
    }

    public MetricSlot slot(int index) {
        return slots[index];
    }

    /** Every verb the device accepts, in birth order; empty when its birth declared none. */
    public List<DeviceCapability> capabilities() {
        return capabilities;
    }

    /** {@link #capabilities()} in their wire form, for {@code CapabilityRules}. */
    public List<Capability> wireCapabilities() {
        return wireCapabilities;
    }

    /** What the device accepts for {@code verb}, or {@code null} when it does not support it. */
    public DeviceCapability capability(Verb verb) {
        return capabilityByVerb.get(verb);
    }

    /**
     * Stores a sample unless the slot already holds a newer one.
     *
     * @param value finite
     * @param qualityCode {@link Quality} number
     * @return false if the sample is older than the stored value and was not applied
     */
    public boolean apply(int slot, double value, long sampledAtMillis, int qualityCode) {
        return apply(slot, value, sampledAtMillis, qualityCode, Long.MAX_VALUE) != Applied.OUT_OF_ORDER;
    }

    /**
     * Stores a sample, with quality BAD when the value is outside the dictionary's plausible range
     * (so it is never counted as power truth), unless the slot holds a newer sample.
     *
     * <p>A stored sample stamped after {@code nowMillis} (the controller's clock) never blocks a
     * later one: an agent clock that ran ahead and was corrected must not freeze the reading for
     * as long as it had been ahead (issue 8, problem 6).
     *
     * @param value finite
     * @param qualityCode {@link Quality} number as the agent judged it
     * @param nowMillis the controller's clock
     */
    public synchronized Applied apply(int slot, double value, long sampledAtMillis, int qualityCode, long nowMillis) {
        checkSlot(slot);
        return store(slot, value, sampledAtMillis, qualityCode, nowMillis);
    }

    /**
     * Applies every sample of {@code batch}, in order, by the rules of {@link #apply(int, double,
     * long, int, long)}, under one acquisition of this record's monitor, and sets each sample's
     * {@link SampleBatch#outcome(int) outcome} and the batch's {@link SampleBatch#count counts}. Readers see either none or all of the batch, never
     * a sample's value with another's stamp (issue 9: one lock per sample was a quarter of ingest).
     *
     * @throws IllegalArgumentException if a slot is not one of this record's; nothing is stored then
     */
    public synchronized void apply(SampleBatch batch, long nowMillis) {
        int n = batch.size;
        int[] batchSlots = batch.slots;
        for (int i = 0; i < n; i++) {
            checkSlot(batchSlots[i]);
        }
        double[] batchValues = batch.values;
        long[] batchAt = batch.atMillis;
        int[] batchQualities = batch.qualities;
        byte[] outcomes = batch.outcomes;
        int[] counts = batch.counts;
        for (int i = 0; i < n; i++) {
            Applied applied = store(batchSlots[i], batchValues[i], batchAt[i], batchQualities[i], nowMillis);
            outcomes[i] = (byte) applied.ordinal();
            counts[applied.ordinal()]++;
        }
    }

    private void checkSlot(int slot) {
        if (slot < 0 || slot >= slots.length) {
            throw new IllegalArgumentException(
                    "slot " + slot + " of device " + id + ", which has " + slots.length + " metric slot(s)");
        }
    }

    /** Caller holds the monitor and checked the slot. */
    private Applied store(int slot, double value, long sampledAtMillis, int qualityCode, long nowMillis) {
        if (sampledAtMillis < atMillis[slot] && atMillis[slot] <= nowMillis) {
            return Applied.OUT_OF_ORDER;
        }
        MetricDescriptor descriptor = descriptors[slot];
        boolean plausible = descriptor == null || descriptor.isPlausible(value);
        values[slot] = value;
        atMillis[slot] = sampledAtMillis;
        quality[slot] = (byte) (plausible ? qualityCode : Quality.QUALITY_BAD_VALUE);
        return plausible ? Applied.STORED : Applied.IMPLAUSIBLE;
    }

    /** The dictionary's plausible range of a slot, for messages; null when the dictionary lacks the name. */
    public MetricDescriptor descriptor(int slot) {
        return descriptors[slot];
    }

    /** Owner first, then the other agents that claim this device id; empty when no one else does. */
    public List<String> conflict() {
        return conflict;
    }

    void conflict(List<String> agents) {
        conflict = List.copyOf(agents);
    }

    /** Links the agent's clock measurement, shown in {@link DeviceView#agentClockOffsetMs()}. */
    public void agentClock(AgentClock clock) {
        agentClock = clock;
    }

    /**
     * Sets the status. {@code statusSince} moves only when the status itself changes, not when
     * just the reason or message does.
     *
     * @return the previous status
     */
    public synchronized DeviceState setStatus(DeviceState newStatus, String reason, String message, Instant now) {
        DeviceState previous = status;
        if (newStatus != status) {
            statusSinceMillis = now.toEpochMilli();
        }
        status = Objects.requireNonNull(newStatus, "newStatus");
        statusReason = Objects.requireNonNull(reason, "reason");
        statusMessage = Objects.requireNonNull(message, "message");
        timeline.record(now, newStatus, reason, message);
        return previous;
    }

    /** The last changes of its status or status reason, oldest first ({@link StatusTimeline#CAPACITY} at most). */
    public synchronized List<StatusChange> timeline() {
        return timeline.entries();
    }

    /**
     * Marks the device STALE unless it already is.
     *
     * @return true if it was not STALE before
     */
    public synchronized boolean markStaleIfLive(String reason, String message, Instant now) {
        if (status == DeviceState.STALE) {
            return false;
        }
        setStatus(DeviceState.STALE, reason, message, now);
        return true;
    }

    public synchronized DeviceState status() {
        return status;
    }

    /**
     * Copies into {@code target} (not yet visible to other threads) the readings of every metric
     * both declare with the same display key and unit, and its status timeline, so a rebirth does not
     * blank the device.
     */
    public synchronized void copyReadingsTo(DeviceRecord target) {
        target.timeline.prepend(timeline);
        for (int t = 0; t < target.slots.length; t++) {
            Integer s = slotByKey.get(target.displayKeys[t]);
            if (s != null && atMillis[s] != NEVER && slots[s].unit().equals(target.slots[t].unit())) {
                target.values[t] = values[s];
                target.atMillis[t] = atMillis[s];
                target.quality[t] = quality[s];
            }
        }
    }

    /** A consistent copy of the current state. */
    public DeviceView view() {
        Map<String, MetricReading> metrics = new LinkedHashMap<>();
        DeviceState copiedStatus;
        String copiedReason;
        String copiedMessage;
        long copiedSince;
        synchronized (this) {
            for (int i = 0; i < slots.length; i++) {
                if (atMillis[i] != NEVER) {
                    metrics.put(
                            displayKeys[i],
                            new MetricReading(
                                    values[i],
                                    slots[i].unit(),
                                    Instant.ofEpochMilli(atMillis[i]),
                                    qualityOf(quality[i])));
                }
            }
            copiedStatus = status;
            copiedReason = statusReason;
            copiedMessage = statusMessage;
            copiedSince = statusSinceMillis;
        }
        AgentClock clock = agentClock;
        return new DeviceView(
                id,
                agent,
                kind,
                model,
                profile,
                firmware,
                nameplatePowerW,
                nameplateHashrateThs,
                copiedStatus,
                copiedReason,
                copiedMessage,
                Instant.ofEpochMilli(copiedSince),
                metrics,
                capabilities,
                conflict,
                clock == null ? null : clock.offsetMillis());
    }

    /** A primitive copy of the current state, for the control loop: see {@link DeviceSample}. */
    public DeviceSample sample() {
        double[] copiedValues;
        long[] copiedAt;
        byte[] copiedQuality;
        DeviceState copiedStatus;
        synchronized (this) {
            copiedValues = values.clone();
            copiedAt = atMillis.clone();
            copiedQuality = quality.clone();
            copiedStatus = status;
        }
        return new DeviceSample(
                id,
                agent,
                model,
                nameplatePowerW,
                copiedStatus,
                !conflict.isEmpty(),
                capabilities,
                displayKeys,
                slotByKey,
                copiedValues,
                copiedAt,
                copiedQuality);
    }

    /**
     * Moves whenever the device reports a newer reading or changes status: the latest of its readings' and
     * its status change's times, with the status. What a page's stream compares from one tick to the next to
     * find the devices that changed, without a view of each (D65).
     */
    public synchronized long changeStamp() {
        long latest = statusSinceMillis;
        for (long at : atMillis) {
            if (at != NEVER && at > latest) {
                latest = at;
            }
        }
        return latest * 31 + status.ordinal();
    }

    /**
     * The hottest chip temperature ({@code temperature.chip} of any instance) with a reading not marked
     * BAD, or NaN when there is none: what {@code FleetSnapshot.hottestChip} reads from a view, read here
     * without one, so a pass over every device of a site copies none of them (D64).
     */
    public synchronized double hottestChipC() {
        double hottest = Double.NaN;
        for (int slot : chipSlots) {
            if (atMillis[slot] == NEVER || qualityOf(quality[slot]) == Quality.QUALITY_BAD) {
                continue;
            }
            hottest = Double.isNaN(hottest) ? values[slot] : Math.max(hottest, values[slot]);
        }
        return hottest;
    }

    /** The device-total power reading if it is trusted as power truth, else NaN; see {@link SitePower}. */
    synchronized double truthfulPowerW() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i].instance().isEmpty()
                    && MetricDictionary.POWER.equals(slots[i].name())
                    && atMillis[i] != NEVER) {
                boolean live = status == DeviceState.ONLINE || status == DeviceState.DEGRADED;
                return live && quality[i] != Quality.QUALITY_BAD_VALUE ? values[i] : Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** True if the device has a device-total power reading at all. */
    synchronized boolean hasPowerReading() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i].instance().isEmpty()
                    && MetricDictionary.POWER.equals(slots[i].name())
                    && atMillis[i] != NEVER) {
                return true;
            }
        }
        return false;
    }

    private static Quality qualityOf(byte code) {
        Quality q = Quality.forNumber(code);
        return q == null ? Quality.QUALITY_BAD : q;
    }
}
