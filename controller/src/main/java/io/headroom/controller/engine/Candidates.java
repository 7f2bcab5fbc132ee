package io.headroom.controller.engine;

import io.headroom.controller.site.Curtail;
import io.headroom.controller.site.PriorityClass;
import io.headroom.controller.site.SiteDevice;
import io.headroom.controller.site.SiteModel;
import java.util.Arrays;

/**
 * Orders devices without boxing: each becomes one {@code long} of (class rank, score, node index),
 * so a site of 100,000 devices sorts as a primitive array.
 */
final class Candidates {

    private static final int INDEX_BITS = 20;
    static final int MAX_NODES = 1 << INDEX_BITS;

    private long[] keys = new long[16];
    private int size;

    /**
     * Adds a device.
     *
     * @param rank 0 to 2: lower ranks come first
     * @param score lower scores come first within a rank; NaN comes last
     */
    void add(int node, int rank, double score) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
        }
        long bits = Double.isNaN(score) ? 0xFFFF_FFFFL : sortable((float) score);
        keys[size++] = ((long) rank << 52) | (bits << INDEX_BITS) | node;
    }

    /** The nodes in order. */
    int[] sorted() {
        Arrays.sort(keys, 0, size);
        int[] nodes = new int[size];
        for (int i = 0; i < size; i++) {
            nodes[i] = (int) (keys[i] & (MAX_NODES - 1));
        }
        return nodes;
    }

    /** The float's bits as an unsigned 32-bit number that sorts as the floats do. */
    private static long sortable(float value) {
        int bits = Float.floatToIntBits(value);
        bits = bits < 0 ? ~bits : bits | Integer.MIN_VALUE;
        long unsigned = bits & 0xFFFF_FFFFL;
        // Keep the all-ones pattern for NaN.
        return Math.min(unsigned, 0xFFFF_FFFEL);
    }

    /** Curtailed any way, for anything: miners. */
    static final int ANY = 0;
    /** Only capped, down to its floor (ai-flex), and only after every {@link #ANY} device. */
    static final int CAP_ONLY = 1;
    /** Must run: curtailed only for a hard limit, after everything else. */
    static final int MUST_RUN = 2;
    /** Never curtailed (auxiliary). */
    static final int NEVER = -1;

    /** Where the device's class comes in the order of shedding: {@link #ANY} … {@link #MUST_RUN}, or {@link #NEVER}. */
    static int rank(SiteModel model, SiteDevice device) {
        PriorityClass priority = model.classes().get(device.priorityClass());
        if (priority == null) {
            return ANY;
        }
        if (priority.curtailing() == Curtail.NEVER) {
            return NEVER;
        }
        if (!priority.interruptible()) {
            return MUST_RUN;
        }
        return priority.curtailing() == Curtail.CAP ? CAP_ONLY : ANY;
    }

    /** True for the AI load a reservation is for: the capped and the must-run classes. */
    static boolean reserved(SiteModel model, SiteDevice device) {
        int rank = rank(model, device);
        return rank == CAP_ONLY || rank == MUST_RUN;
    }

    /** The lowest power a cap-only device is capped to, W: its class's floor of its nameplate, else NaN. */
    static double floorW(SiteModel model, SiteDevice device, double nameplateKw) {
        PriorityClass priority = model.classes().get(device.priorityClass());
        if (priority == null || priority.curtailing() != Curtail.CAP || Double.isNaN(nameplateKw)) {
            return Double.NaN;
        }
        return nameplateKw * 1000 * priority.floorPercent() / 100;
    }
}
