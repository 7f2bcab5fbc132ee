package io.headroom.controller.store;

import io.headroom.protocol.wire.Quality;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One device's state as the control loop reads it: a consistent copy of its readings in primitive
 * arrays by metric slot, plus its status, owner and capabilities. Unlike {@link DeviceView} (the API's
 * copy, a map of display keys to readings with an {@code Instant} each) taking one costs three small
 * array copies, so the engine can take one of every device every tick at 100,000 devices.
 *
 * <p>Slots and their keys are those of the device's latest birth; a slot that has never been read
 * reports {@link #has(int)} false.
 */
public final class DeviceSample {

    static final long NEVER = Long.MIN_VALUE;

    private final String id;
    private final String agent;
    private final String model;
    private final double nameplatePowerW;
    private final DeviceState status;
    private final boolean inConflict;
    private final List<DeviceCapability> capabilities;
    /** Shared with the record (immutable): display key per slot, and the slot of each key. */
    private final String[] keys;

    private final Map<String, Integer> slotByKey;
    private final double[] values;
    private final long[] atMillis;
    private final byte[] quality;

    DeviceSample(
            String id,
            String agent,
            String model,
            double nameplatePowerW,
            DeviceState status,
            boolean inConflict,
            List<DeviceCapability> capabilities,
            String[] keys,
            Map<String, Integer> slotByKey,
            double[] values,
            long[] atMillis,
            byte[] quality) {
        this.id = id;
        this.agent = agent;
        this.model = model;
        this.nameplatePowerW = nameplatePowerW;
        this.status = status;
        this.inConflict = inConflict;
        this.capabilities = capabilities;
        this.keys = keys;
        this.slotByKey = slotByKey;
        this.values = values;
        this.atMillis = atMillis;
        this.quality = quality;
    }

    /**
     * The sample of a view: for tests and tools that hold views rather than the store's records.
     * Costs what a view costs; the controller samples its records directly.
     */
    public static DeviceSample of(DeviceView view) {
        Objects.requireNonNull(view, "view");
        int n = view.metrics().size();
        String[] keys = new String[n];
        double[] values = new double[n];
        long[] at = new long[n];
        byte[] quality = new byte[n];
        Map<String, Integer> slots = new java.util.HashMap<>(n * 2);
        int i = 0;
        for (Map.Entry<String, MetricReading> entry : view.metrics().entrySet()) {
            keys[i] = entry.getKey();
            values[i] = entry.getValue().value();
            at[i] = entry.getValue().at().toEpochMilli();
            quality[i] = (byte) entry.getValue().quality().getNumber();
            slots.put(keys[i], i);
            i++;
        }
        return new DeviceSample(
                view.id(),
                view.agent(),
                view.model(),
                view.nameplatePowerW(),
                view.status(),
                view.inConflict(),
                view.capabilities(),
                keys,
                slots,
                values,
                at,
                quality);
    }

    public String id() {
        return id;
    }

    /** The model as the device reports it (empty when it does not). */
    public String model() {
        return model;
    }

    /** The agent that reports the device (its owner while another claims it too). */
    public String agent() {
        return agent;
    }

    /** The profile's nameplate in W; 0 or less when the profile gives none. */
    public double nameplatePowerW() {
        return nameplatePowerW;
    }

    public DeviceState status() {
        return status;
    }

    /** True while another agent claims this device id too: commands are refused then. */
    public boolean inConflict() {
        return inConflict;
    }

    /** Every verb the device accepts, in birth order. */
    public List<DeviceCapability> capabilities() {
        return capabilities;
    }

    /** Number of metric slots its birth declared. */
    public int slotCount() {
        return keys.length;
    }

    /** The slot's display key ({@code power}, {@code power[A3]}, {@code temperature.chip[1]} …). */
    public String key(int slot) {
        return keys[slot];
    }

    /** The slot of a display key, or -1 when the birth declared no such metric. */
    public int slot(String displayKey) {
        Integer slot = slotByKey.get(displayKey);
        return slot == null ? -1 : slot;
    }

    /** True when the slot holds a reading. */
    public boolean has(int slot) {
        return slot >= 0 && atMillis[slot] != NEVER;
    }

    public double value(int slot) {
        return values[slot];
    }

    /** When the agent sampled the slot's reading, in epoch ms. */
    public long atMillis(int slot) {
        return atMillis[slot];
    }

    /** The slot's quality: BAD when the store found it outside the metric's plausible range. */
    public Quality quality(int slot) {
        Quality q = Quality.forNumber(quality[slot]);
        return q == null ? Quality.QUALITY_BAD : q;
    }

    /** True when the slot holds a reading of quality GOOD. */
    public boolean good(int slot) {
        return has(slot) && quality[slot] == Quality.QUALITY_GOOD_VALUE;
    }
}
