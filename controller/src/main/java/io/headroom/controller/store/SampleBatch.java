package io.headroom.controller.store;

import java.util.Arrays;

/**
 * Samples of one device, taken in by {@link DeviceRecord#apply(SampleBatch, long)} under a single
 * acquisition of the record's monitor, with what became of each one. A Data message lists a
 * device's samples together, so ingest fills one batch per device and message: one lock per device
 * instead of one per sample (issue 9: the per-sample lock was about a quarter of ingest's CPU).
 *
 * <p>Reusable and not thread-safe: ingest keeps one per agent, used under that agent's session lock,
 * and {@link #clear()}s it for every device, so the hot path allocates nothing once it has grown to
 * the largest device.
 */
public final class SampleBatch {
    private static final int INITIAL_CAPACITY = 16;
    private static final DeviceRecord.Applied[] APPLIED = DeviceRecord.Applied.values();
    /** An outcome not set yet. */
    private static final byte NONE = -1;

    private static final byte STORED = (byte) DeviceRecord.Applied.STORED.ordinal();

    // Package-private: DeviceRecord reads the columns directly on its hot path (no bounds check per getter).
    int[] slots = new int[INITIAL_CAPACITY];
    double[] values = new double[INITIAL_CAPACITY];
    long[] atMillis = new long[INITIAL_CAPACITY];
    int[] qualities = new int[INITIAL_CAPACITY];
    /**
     * Each sample's {@link DeviceRecord.Applied} by ordinal, {@link #NONE} before it is applied: bytes,
     * not references, because a reference stored into an old array is a GC write barrier (a card to
     * dirty and, now and then, a fence), twice a sample on ingest's hot path.
     */
    byte[] outcomes = new byte[INITIAL_CAPACITY];

    int size;
    /** How many samples had each outcome, by {@link DeviceRecord.Applied#ordinal()}; set by the record. */
    final int[] counts = new int[DeviceRecord.Applied.values().length];

    /** Empties the batch (capacity kept) for the next device. */
    public void clear() {
        size = 0;
        Arrays.fill(counts, 0);
    }

    /**
     * Adds a sample; applied after those added before it, so a later sample of the same slot wins
     * by the usual ordering rule.
     *
     * @param value finite
     * @param quality {@link io.headroom.protocol.wire.Quality} number as the agent judged it
     */
    public void add(int slot, double value, long sampledAtMillis, int quality) {
        if (size == slots.length) {
            grow();
        }
        slots[size] = slot;
        values[size] = value;
        atMillis[size] = sampledAtMillis;
        qualities[size] = quality;
        outcomes[size] = NONE;
        size++;
    }

    public int size() {
        return size;
    }

    public int slot(int index) {
        return slots[check(index)];
    }

    public double value(int index) {
        return values[check(index)];
    }

    public long atMillis(int index) {
        return atMillis[check(index)];
    }

    public int quality(int index) {
        return qualities[check(index)];
    }

    /** What {@link DeviceRecord#apply(SampleBatch, long)} did with the sample; null before it ran. */
    public DeviceRecord.Applied outcome(int index) {
        byte outcome = outcomes[check(index)];
        return outcome == NONE ? null : APPLIED[outcome];
    }

    /** Whether the sample was {@link DeviceRecord.Applied#STORED stored} as given: {@link #outcome} without the lookup. */
    public boolean stored(int index) {
        return outcomes[check(index)] == STORED;
    }

    /** How many samples of the batch had {@code outcome}; 0 before it was applied. */
    public int count(DeviceRecord.Applied outcome) {
        return counts[outcome.ordinal()];
    }

    private int check(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("sample " + index + " of a batch of " + size);
        }
        return index;
    }

    private void grow() {
        int capacity = slots.length * 2;
        slots = Arrays.copyOf(slots, capacity);
        values = Arrays.copyOf(values, capacity);
        atMillis = Arrays.copyOf(atMillis, capacity);
        qualities = Arrays.copyOf(qualities, capacity);
        outcomes = Arrays.copyOf(outcomes, capacity);
    }
}
