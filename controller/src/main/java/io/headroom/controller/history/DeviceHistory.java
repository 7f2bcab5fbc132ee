package io.headroom.controller.history;

import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.SampleBatch;
import org.jspecify.annotations.Nullable;

/**
 * One device's history: for every metric slot of its record that {@code history.metrics} keeps (D61)
 * and every {@link HistoryRange}, a ring of buckets holding the mean and the max of the samples that
 * fell in each, in its {@link BucketRings}. Below, a "slot" is one of the kept ones, numbered apart from
 * the record's: {@code kept[recordSlot]} maps one to the other.
 *
 * <p>A bucket is 20 bits (D62): its mean as a 12-bit code on a linear scale per slot, and its max as the
 * distance above the mean in those codes, in an 8-bit {@link Excess} code. The scale starts around the
 * slot's first sample and only widens (to at least twice its span) when a sample falls outside it,
 * re-coding that slot's buckets; so it widens a few times at most and a mean is kept to within
 * 1/8,188 of the span its slot has seen. The open bucket's sum, count and max are kept exactly beside
 * the codes, so its mean is never a mean of rounded values; it is coded into its ring only when it
 * closes, so a sample into an open bucket (all but one in ten at 1 Hz in the hour's 10 s buckets)
 * changes three numbers and writes no code. A sample enters the hour's bucket only: each 10 s bucket,
 * as it closes, is added to the open 5 min bucket of the day that holds it, whose sums are exactly
 * those of its samples all the same (D62).
 *
 * <p>Thread-safe: every method holds this object's monitor for a few array accesses (a re-scale, rare,
 * touches one slot's 648 buckets), so ingest never waits on anything but a reader copying one series.
 * Once {@link #release released} (its History dropped it), its rings' bytes belong to another device:
 * it takes no more samples and reads nothing.
 */
final class DeviceHistory implements HistoryWriter {

    private static final long NONE = Long.MIN_VALUE;
    /** Mean codes 1..4095; 0 marks an empty bucket. */
    private static final int MAX_CODE = 4_095;

    private static final int SPAN_CODES = MAX_CODE - 1;
    private static final HistoryRange[] RANGES = HistoryRange.values();
    private static final int TIERS = RANGES.length;
    /** The finest range's bucket width, ms: every coarser one is a whole number of them (see fold). */
    private static final long FINEST = RANGES[0].resolutionMillis();

    static {
        for (int t = 0; t < TIERS; t++) {
            if (RANGES[t].resolutionMillis() % FINEST != 0) {
                throw new ExceptionInInitializerError(
                        "a bucket of " + RANGES[t] + " is not whole buckets of " + RANGES[0]);
            }
        }
    }

    private final DeviceRecord record;
    private final History owner;
    /** Per record slot: its slot here, or -1 when its metric keeps no history. */
    private final int[] kept;
    /** Per slot here: the record slot it keeps. */
    private final int[] recordSlot;

    private final int slots;
    private final BucketRings rings;
    /** Per slot and range ({@code slot * TIERS + tier}): the newest bucket number, and its open sums. */
    private final long[] head;

    private final double[] sum;
    private final int[] count;
    private final double[] openMax;
    /** Per slot: the value of code 1 and the value of one code step; step 0 until the first sample. */
    private final double[] low;

    private final double[] step;
    /** Buckets holding a point, over every slot and range. */
    private int points;
    /** Given back to the slabs (see {@link #release}). */
    private boolean released;

    DeviceHistory(DeviceRecord record, History owner, HistorySettings.MetricFilter filter) {
        this.record = record;
        this.owner = owner;
        this.kept = new int[record.slotCount()];
        int n = 0;
        for (int i = 0; i < kept.length; i++) {
            kept[i] = filter.keeps(record.slot(i).displayKey()) ? n++ : -1;
        }
        this.recordSlot = new int[n];
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] >= 0) {
                recordSlot[kept[i]] = i;
            }
        }
        this.slots = n;
        this.rings = new BucketRings(n, owner.slabs().take(BucketRings.bytesFor(n)));
        this.head = new long[slots * TIERS];
        java.util.Arrays.fill(head, NONE);
        this.sum = new double[slots * TIERS];
        this.count = new int[slots * TIERS];
        this.openMax = new double[slots * TIERS];
        this.low = new double[slots];
        this.step = new double[slots];
    }

    /** The record this history was laid out for: a rebirth brings a new record, and a new history. */
    DeviceRecord record() {
        return record;
    }

    /** Bytes this history holds on a 64-bit JVM with compressed references (an estimate, see D41). */
    long bytes() {
        return bytesFor(kept.length, slots);
    }

    /** {@link #bytes()} of a device of {@code metrics} metrics, {@code slots} of them kept, without building one. */
    static long bytesFor(int metrics, int slots) {
        int series = slots * TIERS;
        return 48 // this object
                + array(4L * metrics)
                + array(4L * slots) // kept, recordSlot
                + 48 // the rings object and its range record
                + (long) slots * BucketRings.STRIDE // in a slab (D67)
                + 3 * array(8L * series) // head, sum, openMax
                + array(4L * series) // count
                + 2 * array(8L * slots) // low, step
                + 48; // its entry in History's map
    }

    private static long array(long payload) {
        return (16 + payload + 7) & ~7L;
    }

    synchronized int points() {
        return points;
    }

    /**
     * The batch's stored samples under one acquisition of this monitor: an uncontended monitor still
     * costs two atomic operations, which per sample were most of the history's share of ingest.
     */
    @Override
    public synchronized void recordStored(SampleBatch batch) {
        if (released) {
            return;
        }
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            if (batch.stored(i)) {
                add(batch.slot(i), batch.value(i), batch.atMillis(i));
            }
        }
    }

    @Override
    public synchronized void record(int slotOfRecord, double value, long atMillis) {
        if (!released) {
            add(slotOfRecord, value, atMillis);
        }
    }

    /**
     * Gives the rings' bytes back to the slabs, for another device; called once, by {@link History},
     * after it dropped this history from its map. A writer or reader still holding it finds it released:
     * samples are ignored (its device's new history takes them) and {@link #read} answers null.
     */
    synchronized void release() {
        if (!released) {
            released = true;
            owner.slabs().release(rings.range());
        }
    }

    private void add(int slotOfRecord, double value, long atMillis) {
        if (slotOfRecord < 0 || slotOfRecord >= kept.length || !Double.isFinite(value)) {
            return;
        }
        int slot = kept[slotOfRecord];
        if (slot < 0) {
            return; // Not kept, by history.metrics: not a drop.
        }
        if (step[slot] == 0) {
            double half = Math.max(Math.abs(value) * 0.5, 1.0);
            low[slot] = value - half;
            step[slot] = 2 * half / SPAN_CODES;
        } else if (!fits(slot, value) && !widen(slot, value)) {
            owner.dropped(History.DropReason.RANGE);
            return;
        }
        int s = slot * TIERS; // the finest range's: the only one a sample enters, but when late
        long newest = head[s];
        if (newest != NONE) {
            long intoOpen = atMillis - newest * FINEST;
            if (intoOpen >= 0 && intoOpen < FINEST) {
                // The common case, many samples per bucket: only the open sums change; the bucket is
                // coded when it closes (no division, no write into the rings), and the coarser ranges
                // learn of it then.
                accumulate(s, value);
                return;
            }
            if (intoOpen < 0) {
                late(slot, value, atMillis);
                return;
            }
            close(slot, 0, newest);
            fold(slot);
        }
        long bucket = Math.floorDiv(atMillis, FINEST);
        clear(slot, 0, newest, bucket);
        head[s] = bucket;
        sum[s] = value;
        count[s] = 1;
        openMax[s] = value;
        points++;
        for (int t = 1; t < TIERS; t++) {
            open(slot, t, atMillis);
        }
    }

    /** Adds a sample to the open sums of series {@code s} ({@code slot * TIERS + tier}). */
    private void accumulate(int s, double value) {
        sum[s] += value;
        count[s]++;
        if (value > openMax[s]) { // finite here: no NaN or -0.0 rules of Math.max needed
            openMax[s] = value;
        }
    }

    /**
     * Adds the finest range's open bucket, just closed, to the open bucket of every coarser range, which
     * holds it: a coarser bucket's sums are those of the finer buckets closed in it (the open one is
     * added when read), so a sample costs one range's sums, not every range's.
     */
    private void fold(int slot) {
        int fine = slot * TIERS;
        for (int t = 1; t < TIERS; t++) {
            int s = fine + t;
            sum[s] += sum[fine];
            count[s] += count[fine];
            if (openMax[fine] > openMax[s]) {
                openMax[s] = openMax[fine];
            }
        }
    }

    /**
     * Makes the bucket of {@code atMillis} the open one of a coarser range, closing the one before it,
     * whose finer buckets have all been folded into it; a bucket already open stays as it is.
     */
    private void open(int slot, int tier, long atMillis) {
        int s = slot * TIERS + tier;
        long bucket = Math.floorDiv(atMillis, RANGES[tier].resolutionMillis());
        long newest = head[s];
        if (bucket == newest) {
            return;
        }
        if (newest != NONE) {
            close(slot, tier, newest);
        }
        clear(slot, tier, newest, bucket);
        head[s] = bucket;
        sum[s] = 0;
        count[s] = 0;
        openMax[s] = Double.NEGATIVE_INFINITY;
        points++;
    }

    /**
     * A sample older than the finest range's open bucket (a clock stepped back): that bucket is closed
     * and the sample is counted as late, but a coarser range whose open bucket it falls in still takes it.
     */
    private void late(int slot, double value, long atMillis) {
        for (int t = 1; t < TIERS; t++) {
            int s = slot * TIERS + t;
            if (head[s] != NONE && Math.floorDiv(atMillis, RANGES[t].resolutionMillis()) == head[s]) {
                accumulate(s, value);
            }
        }
        owner.dropped(History.DropReason.LATE);
    }

    /**
     * Codes the open bucket of a slot's range into its ring as it closes. While open, a bucket's codes
     * stay 0 and its mean and max live exactly in {@code sum}, {@code count} and {@code openMax} (for a
     * coarser range, with the finest range's open bucket still to be added).
     */
    private void close(int slot, int tier, long newest) {
        int s = slot * TIERS + tier;
        store(slot, tier, index(tier, newest), sum[s] / count[s], openMax[s]);
    }

    /** Codes a bucket's mean and max on the slot's scale. */
    private void store(int slot, int tier, int i, double mean, double max) {
        int meanCode = code(mean, low[slot], step[slot]);
        int maxCode = Math.max(meanCode, code(max, low[slot], step[slot]));
        rings.set(tier, slot, i, meanCode, Excess.encode(maxCode - meanCode));
    }

    private static int index(int tier, long bucket) {
        return (int) Math.floorMod(bucket, RANGES[tier].buckets());
    }

    /** The max code of a bucket whose mean code is {@code meanCode}. */
    private int maxCode(int tier, int slot, int i, int meanCode) {
        return Math.min(MAX_CODE, meanCode + Excess.decode(rings.excessCode(tier, slot, i)));
    }

    /** Empties the buckets after {@code newest} up to and including {@code bucket}, which they now stand for. */
    private void clear(int slot, int tier, long newest, long bucket) {
        HistoryRange range = RANGES[tier];
        if (newest == NONE || bucket - newest >= range.buckets()) {
            for (int i = 0; i < range.buckets(); i++) {
                emptyBucket(tier, slot, i);
            }
            return;
        }
        for (long b = newest + 1; b <= bucket; b++) {
            emptyBucket(tier, slot, index(tier, b));
        }
    }

    private void emptyBucket(int tier, int slot, int i) {
        if (rings.empty(tier, slot, i)) {
            points--;
        }
    }

    private boolean fits(int slot, double value) {
        return value >= low[slot] && value <= low[slot] + SPAN_CODES * step[slot];
    }

    /** Widens the slot's scale to take {@code value} and re-codes its buckets; false if it cannot. */
    private boolean widen(int slot, double value) {
        double oldLow = low[slot];
        double oldStep = step[slot];
        double span = SPAN_CODES * oldStep;
        double high = oldLow + span;
        double needed = Math.max(high, value) - Math.min(oldLow, value);
        double newSpan = Math.max(needed * 1.25, 2 * span);
        if (!Double.isFinite(newSpan) || !Double.isFinite(value)) {
            return false;
        }
        double newLow = value < oldLow ? high - newSpan : oldLow;
        low[slot] = newLow;
        step[slot] = newSpan / SPAN_CODES;
        for (int t = 0; t < TIERS; t++) {
            for (int i = 0; i < RANGES[t].buckets(); i++) {
                int meanCode = rings.meanCode(t, slot, i);
                if (meanCode != 0) {
                    double mean = oldLow + (meanCode - 1) * oldStep;
                    double max = oldLow + (maxCode(t, slot, i, meanCode) - 1) * oldStep;
                    store(slot, t, i, mean, max);
                }
            }
        }
        return true;
    }

    private static int code(double value, double low, double step) {
        long code = 1 + Math.round((value - low) / step);
        return (int) Math.max(1, Math.min(MAX_CODE, code));
    }

    /**
     * The series of this history's slot with {@code metric}'s display key and unit, over the range's
     * window ending at {@code nowMillis} (one bucket past it is kept: an agent clock may run a few
     * seconds ahead); empty when no such slot or no sample in the window; null when this history was
     * {@link #release released}: its device's current one has the series.
     */
    synchronized @Nullable HistorySeries read(String metric, String unit, HistoryRange range, long nowMillis) {
        if (released) {
            return null;
        }
        long resolution = range.resolutionMillis();
        int capacity = range.buckets();
        long nowBucket = Math.floorDiv(nowMillis, resolution);
        long first = nowBucket - capacity + 1;
        long from = first * resolution;
        int slot = slotOf(metric, unit);
        if (slot < 0) {
            return HistorySeries.empty(metric, unit, range, from, nowMillis);
        }
        int tier = range.ordinal();
        long newest = head[slot * TIERS + tier];
        if (newest == NONE) {
            return HistorySeries.empty(metric, unit, range, from, nowMillis);
        }
        long start = Math.max(first, newest - capacity + 1);
        long end = Math.min(nowBucket + 1, newest);
        int n = 0;
        long[] at = new long[capacity];
        double[] mean = new double[capacity];
        double[] max = new double[capacity];
        for (long b = start; b <= end; b++) {
            int i = index(tier, b);
            int meanCode = rings.meanCode(tier, slot, i);
            if (b == newest) {
                int s = slot * TIERS + tier;
                double total = sum[s];
                long samples = count[s];
                double largest = openMax[s];
                if (tier > 0) {
                    // The finest range's open bucket lies in this one and is not folded in yet.
                    int fine = slot * TIERS;
                    total += sum[fine];
                    samples += count[fine];
                    largest = Math.max(largest, openMax[fine]);
                }
                at[n] = b * resolution;
                mean[n] = total / samples;
                max[n] = largest;
                n++;
            } else if (meanCode != 0) {
                at[n] = b * resolution;
                mean[n] = decode(slot, meanCode);
                max[n] = decode(slot, maxCode(tier, slot, i, meanCode));
                n++;
            }
        }
        return new HistorySeries(
                metric,
                unit,
                range,
                from,
                nowMillis,
                java.util.Arrays.copyOf(at, n),
                java.util.Arrays.copyOf(mean, n),
                java.util.Arrays.copyOf(max, n),
                step[slot]);
    }

    private double decode(int slot, int code) {
        return low[slot] + (code - 1) * step[slot];
    }

    /** The slot here keeping {@code metric}'s history, or -1. */
    private int slotOf(String metric, String unit) {
        for (int i = 0; i < slots; i++) {
            MetricSlot slot = record.slot(recordSlot[i]);
            if (slot.unit().equals(unit) && slot.displayKey().equals(metric)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Copies from the history of the device's previous record every series whose metric this record
     * declares with the same display key and unit, so a rebirth does not blank the charts. Called
     * before this history is visible to other threads.
     */
    synchronized void takeOver(DeviceHistory previous) {
        synchronized (previous) {
            for (int i = 0; i < slots; i++) {
                MetricSlot mine = record.slot(recordSlot[i]);
                int from = previous.slotOf(mine.displayKey(), mine.unit());
                if (from < 0) {
                    continue;
                }
                points += rings.copySlot(previous.rings, from, i);
                System.arraycopy(previous.head, from * TIERS, head, i * TIERS, TIERS);
                System.arraycopy(previous.sum, from * TIERS, sum, i * TIERS, TIERS);
                System.arraycopy(previous.count, from * TIERS, count, i * TIERS, TIERS);
                System.arraycopy(previous.openMax, from * TIERS, openMax, i * TIERS, TIERS);
                low[i] = previous.low[from];
                step[i] = previous.step[from];
                for (int t = 0; t < TIERS; t++) {
                    if (head[i * TIERS + t] != NONE) {
                        points++; // its open bucket, not coded yet
                    }
                }
            }
        }
    }
}
