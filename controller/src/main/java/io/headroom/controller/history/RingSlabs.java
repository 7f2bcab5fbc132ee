package io.headroom.controller.history;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where the devices' {@link BucketRings} live: ranges of a few large shared {@code byte[]} slabs
 * rather than an array each (D67). When a site's 100,000 devices connect, their rings (about 19 KB a
 * miner, 2 GB in all) are allocated within seconds; as arrays of their own they were born in G1's
 * young generation and copied out of it by the next pauses, 160–350 ms each for the first seconds
 * of ingest. A slab of {@link #MAX_SLAB_BYTES} is a humongous object in every G1 region size (at
 * most 32 MB, so half a region is at most 16 MB): allocated straight into the old generation and
 * never copied.
 *
 * <p>Ranges are of one size per size class (a device's slot count decides it), handed out from the
 * newest slab of their class and reused when a device's history is dropped (a rebirth, or a device
 * its agent no longer reports): a released range is zeroed, an empty ring, and the next device of
 * that size takes it. A class's first slab holds {@value #FIRST_SLAB_RANGES} ranges and each next one
 * twice as many, up to {@link #MAX_SLAB_BYTES}, so a small site does not pay for a slab sized for a
 * large one; the small early slabs are ordinary objects, which a copy costs little.
 *
 * <p>Thread-safe: this object's monitor, held for a handout or a release (once per device history).
 */
final class RingSlabs {
    /** 32 MiB less room for the array's header: whole G1 regions of any size, humongous in all. */
    static final int MAX_SLAB_BYTES = (32 << 20) - 64;

    static final int FIRST_SLAB_RANGES = 16;

    /** A range of a slab: {@code bytes} bytes from {@code offset}, zero when handed out. */
    record Range(byte[] slab, int offset, int bytes) {}

    /** What a history that keeps no metric gets: no bytes, nothing to give back. */
    private static final Range EMPTY = new Range(new byte[0], 0, 0);

    private final Map<Integer, SizeClass> classes = new HashMap<>();
    private long slabBytes;

    /** A zeroed range of {@code bytes} bytes (0 or more). */
    synchronized Range take(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a range of " + bytes + " bytes");
        }
        return bytes == 0
                ? EMPTY
                : classes.computeIfAbsent(bytes, SizeClass::new).take();
    }

    /** Gives a range back, to be zeroed and handed out again; a range must be released once. */
    synchronized void release(Range range) {
        if (range.bytes() == 0) {
            return;
        }
        SizeClass sizeClass = classes.get(range.bytes());
        if (sizeClass == null) {
            throw new IllegalArgumentException("a range of " + range.bytes() + " bytes was never handed out here");
        }
        Arrays.fill(range.slab(), range.offset(), range.offset() + range.bytes(), (byte) 0);
        sizeClass.free.push(range);
    }

    /** Bytes of every slab, ranges in use or not. */
    synchronized long slabBytes() {
        return slabBytes;
    }

    private final class SizeClass {
        private final int bytes;
        private final ArrayDeque<Range> free = new ArrayDeque<>();
        /** The newest slab, ranges handed out from its start up to {@link #used}; null before the first. */
        private byte @Nullable [] slab;

        private int used;
        private int nextSlabRanges = FIRST_SLAB_RANGES;

        SizeClass(int bytes) {
            this.bytes = bytes;
        }

        Range take() {
            Range reused = free.poll();
            if (reused != null) {
                return reused;
            }
            byte[] current = slab;
            if (current == null || used + bytes > current.length) {
                int ranges = Math.max(1, Math.min(nextSlabRanges, MAX_SLAB_BYTES / bytes));
                current = new byte[Math.multiplyExact(ranges, bytes)];
                slab = current;
                slabBytes += current.length;
                used = 0;
                nextSlabRanges = (int) Math.min(Integer.MAX_VALUE / 2, (long) ranges * 2);
            }
            Range range = new Range(current, used, bytes);
            used += bytes;
            return range;
        }
    }
}
