package io.headroom.controller.ingest;

import java.util.Arrays;

/**
 * Which seqs of one agent boot have been taken in: everything up to {@link #contiguous()}, plus a
 * small sorted set received above it while something below is still missing. Not thread-safe; the
 * owning session guards it.
 */
final class SequenceWindow {

    /** Seqs held above a hole; more means the stream is beyond repair by waiting. */
    static final int MAX_AHEAD = 4096;

    enum Offer {
        /** seq was contiguous + 1; contiguous moved. */
        IN_ORDER,
        /** Taken in above a hole: something below it is missing. */
        AHEAD,
        /** Taken in before. */
        DUPLICATE,
        /** Too many seqs already held above the hole; not taken in. */
        WINDOW_FULL
    }

    private long contiguous;
    private long[] ahead = new long[8];
    private int aheadCount;

    long contiguous() {
        return contiguous;
    }

    /** True when seqs above {@link #contiguous()} are held, i.e. there is a hole. */
    boolean hasHole() {
        return aheadCount > 0;
    }

    /** An independent copy, to remember an earlier boot's window by. */
    SequenceWindow copy() {
        SequenceWindow copy = new SequenceWindow();
        copy.contiguous = contiguous;
        copy.ahead = Arrays.copyOf(ahead, ahead.length);
        copy.aheadCount = aheadCount;
        return copy;
    }

    /** Forgets everything; {@code newContiguous} is taken as received. */
    void reset(long newContiguous) {
        contiguous = newContiguous;
        aheadCount = 0;
    }

    boolean contains(long seq) {
        return seq <= contiguous || Arrays.binarySearch(ahead, 0, aheadCount, seq) >= 0;
    }

    /**
     * Declares every seq up to {@code newContiguous} as settled, received or not.
     *
     * @return how many of them had not been received: they are lost
     */
    long advanceTo(long newContiguous) {
        if (newContiguous <= contiguous) {
            return 0;
        }
        int covered = 0;
        while (covered < aheadCount && ahead[covered] <= newContiguous) {
            covered++;
        }
        long lost = newContiguous - contiguous - covered;
        removeFirst(covered);
        contiguous = newContiguous;
        absorb();
        return lost;
    }

    Offer offer(long seq) {
        if (seq <= contiguous) {
            return Offer.DUPLICATE;
        }
        if (seq == contiguous + 1) {
            contiguous = seq;
            absorb();
            return Offer.IN_ORDER;
        }
        int at = Arrays.binarySearch(ahead, 0, aheadCount, seq);
        if (at >= 0) {
            return Offer.DUPLICATE;
        }
        if (aheadCount == MAX_AHEAD) {
            return Offer.WINDOW_FULL;
        }
        int insert = -at - 1;
        if (aheadCount == ahead.length) {
            ahead = Arrays.copyOf(ahead, ahead.length * 2);
        }
        System.arraycopy(ahead, insert, ahead, insert + 1, aheadCount - insert);
        ahead[insert] = seq;
        aheadCount++;
        return Offer.AHEAD;
    }

    private void absorb() {
        int taken = 0;
        while (taken < aheadCount && ahead[taken] == contiguous + 1) {
            contiguous++;
            taken++;
        }
        removeFirst(taken);
    }

    private void removeFirst(int count) {
        if (count > 0) {
            System.arraycopy(ahead, count, ahead, 0, aheadCount - count);
            aheadCount -= count;
        }
    }
}
