package io.headroom.controller.history;

/**
 * The closed buckets of one device's history: for every kept slot and every {@link HistoryRange}, a
 * ring of {@link HistoryRange#buckets()} 20-bit codes (D62), a 12-bit mean code (0 marks an empty
 * bucket) and an 8-bit {@link Excess} code of the max above it, all in one range of bytes of a shared
 * slab ({@link RingSlabs}, D67): no object per point, per bucket or per metric.
 *
 * <p>Bucket-major (D66): each range has a block of entries, entry {@code bucket * slots + slot}, so
 * bucket {@code i} of every slot lies side by side. At 1 Hz a device's 12 metrics close their 10 s
 * buckets together, every 10 s, each time out of the CPU's caches; side by side, the 12 codes take two
 * cache lines instead of 24. A block holds first its entries' means, two 12-bit codes in three bytes,
 * then one excess byte per entry. Reading one slot's series strides across the block, which a
 * reader's request can afford.
 *
 * <p>Not thread-safe: its {@link DeviceHistory} holds its own monitor around every call.
 */
final class BucketRings {
    private static final HistoryRange[] RANGES = HistoryRange.values();
    /** Bytes per slot before each range's block: the block starts at {@code slots * OFFSET[tier]}. */
    private static final int[] OFFSET = new int[RANGES.length];
    /** Bytes per slot over every range. */
    static final int STRIDE;

    static {
        int offset = 0;
        for (int t = 0; t < RANGES.length; t++) {
            if (RANGES[t].buckets() % 2 != 0) {
                throw new ExceptionInInitializerError("two 12-bit means share three bytes: " + RANGES[t]);
            }
            OFFSET[t] = offset;
            offset += RANGES[t].buckets() / 2 * 3 + RANGES[t].buckets();
        }
        STRIDE = offset;
    }

    private final int slots;
    private final RingSlabs.Range range;
    private final byte[] bytes;
    /** Where this device's rings start in {@link #bytes}, the slab. */
    private final int base;

    /** The rings of {@code slots} slots, in {@code range}: zeroed, {@link #bytesFor} bytes long. */
    BucketRings(int slots, RingSlabs.Range range) {
        if (range.bytes() != bytesFor(slots)) {
            throw new IllegalArgumentException(range.bytes() + " bytes for the rings of " + slots + " slots");
        }
        this.slots = slots;
        this.range = range;
        this.bytes = range.slab();
        this.base = range.offset();
    }

    /** Bytes the rings of {@code slots} slots take. */
    static int bytesFor(int slots) {
        return Math.multiplyExact(slots, STRIDE);
    }

    /** The range of the slab these rings are in, to give back when the history is dropped. */
    RingSlabs.Range range() {
        return range;
    }

    /** The 12-bit mean code of a slot's bucket {@code i} (its ring index) in a range: 0 when empty. */
    int meanCode(int tier, int slot, int i) {
        int e = entry(slot, i);
        int at = meansAt(tier) + (e >> 1) * 3;
        if ((e & 1) == 0) {
            return (bytes[at] & 0xFF) | (bytes[at + 1] & 0x0F) << 8;
        }
        return (bytes[at + 1] & 0xF0) >> 4 | (bytes[at + 2] & 0xFF) << 4;
    }

    /** The excess code (see {@link Excess}) of a slot's bucket {@code i} in a range. */
    int excessCode(int tier, int slot, int i) {
        return bytes[excessAt(tier, entry(slot, i))] & 0xFF;
    }

    /** Sets a bucket's mean code (1..4,095; 0 empties it) and excess code. */
    void set(int tier, int slot, int i, int meanCode, int excessCode) {
        int e = entry(slot, i);
        setMeanCode(tier, e, meanCode);
        bytes[excessAt(tier, e)] = (byte) excessCode;
    }

    /** Empties a bucket; true if it held a point. */
    boolean empty(int tier, int slot, int i) {
        if (meanCode(tier, slot, i) == 0) {
            return false;
        }
        setMeanCode(tier, entry(slot, i), 0);
        return true;
    }

    /** Copies every bucket of {@code other}'s slot {@code from} to this one's slot {@code to}; returns the points copied. */
    int copySlot(BucketRings other, int from, int to) {
        int points = 0;
        for (int t = 0; t < RANGES.length; t++) {
            for (int i = 0; i < RANGES[t].buckets(); i++) {
                int meanCode = other.meanCode(t, from, i);
                set(t, to, i, meanCode, other.excessCode(t, from, i));
                if (meanCode != 0) {
                    points++;
                }
            }
        }
        return points;
    }

    private int entry(int slot, int i) {
        return i * slots + slot;
    }

    private int meansAt(int tier) {
        return base + slots * OFFSET[tier];
    }

    /** Where entry {@code e}'s excess byte is: after its block's means. */
    private int excessAt(int tier, int e) {
        return base + slots * (OFFSET[tier] + RANGES[tier].buckets() / 2 * 3) + e;
    }

    private void setMeanCode(int tier, int e, int code) {
        int at = meansAt(tier) + (e >> 1) * 3;
        if ((e & 1) == 0) {
            bytes[at] = (byte) code;
            bytes[at + 1] = (byte) ((bytes[at + 1] & 0xF0) | (code >> 8));
        } else {
            bytes[at + 1] = (byte) ((bytes[at + 1] & 0x0F) | (code & 0x0F) << 4);
            bytes[at + 2] = (byte) (code >> 4);
        }
    }
}
