package io.headroom.controller.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingSlabsTest {

    private final RingSlabs slabs = new RingSlabs();

    @Test
    void ranges_neverOverlap_andArriveZeroed() {
        List<RingSlabs.Range> taken = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RingSlabs.Range range = slabs.take(1_000);
            assertThat(range.bytes()).isEqualTo(1_000);
            assertThat(range.offset() + range.bytes()).isLessThanOrEqualTo(range.slab().length);
            for (int b = range.offset(); b < range.offset() + range.bytes(); b++) {
                assertThat(range.slab()[b]).isZero();
            }
            Arrays.fill(range.slab(), range.offset(), range.offset() + range.bytes(), (byte) (i + 1));
            taken.add(range);
        }
        // Every range still holds only what its own holder wrote: no two share a byte.
        for (int i = 0; i < taken.size(); i++) {
            RingSlabs.Range range = taken.get(i);
            for (int b = range.offset(); b < range.offset() + range.bytes(); b++) {
                assertThat(range.slab()[b]).as("range %d", i).isEqualTo((byte) (i + 1));
            }
        }
    }

    @Test
    void slabs_startSmall_andDoubleUpToTheCap() {
        slabs.take(1_000);
        assertThat(slabs.slabBytes()).isEqualTo(RingSlabs.FIRST_SLAB_RANGES * 1_000L);
        for (int i = 1; i < RingSlabs.FIRST_SLAB_RANGES; i++) {
            slabs.take(1_000);
        }
        assertThat(slabs.slabBytes()).isEqualTo(RingSlabs.FIRST_SLAB_RANGES * 1_000L);
        slabs.take(1_000); // the first slab is full: the next holds twice as many
        assertThat(slabs.slabBytes()).isEqualTo(3L * RingSlabs.FIRST_SLAB_RANGES * 1_000);

        RingSlabs big = new RingSlabs();
        int miner = BucketRings.bytesFor(12);
        long expected = 0;
        int ranges = RingSlabs.FIRST_SLAB_RANGES;
        for (int slab = 0; slab < 12; slab++) {
            int inSlab = Math.min(ranges, RingSlabs.MAX_SLAB_BYTES / miner);
            for (int i = 0; i < inSlab; i++) {
                big.take(miner);
            }
            expected += (long) inSlab * miner;
            assertThat(big.slabBytes()).isEqualTo(expected);
            ranges *= 2;
        }
        // The last slabs are at the cap: humongous in any G1 region size, never above 32 MiB.
        assertThat(RingSlabs.MAX_SLAB_BYTES / miner * (long) miner)
                .isGreaterThan(16L << 20)
                .isLessThanOrEqualTo(RingSlabs.MAX_SLAB_BYTES);
    }

    @Test
    void aReleasedRange_isZeroed_andHandedOutAgain_beforeANewOne() {
        RingSlabs.Range first = slabs.take(500);
        RingSlabs.Range second = slabs.take(500);
        Arrays.fill(first.slab(), first.offset(), first.offset() + 500, (byte) 7);
        long before = slabs.slabBytes();

        slabs.release(first);
        RingSlabs.Range again = slabs.take(500);

        assertThat(again.slab()).isSameAs(first.slab());
        assertThat(again.offset()).isEqualTo(first.offset());
        for (int b = again.offset(); b < again.offset() + 500; b++) {
            assertThat(again.slab()[b]).isZero();
        }
        assertThat(slabs.slabBytes()).isEqualTo(before);
        assertThat(again.offset()).isNotEqualTo(second.offset());
    }

    @Test
    void sizes_haveSlabsOfTheirOwn_andNoBytesIsNoRange() {
        RingSlabs.Range small = slabs.take(100);
        RingSlabs.Range large = slabs.take(300);
        assertThat(small.slab()).isNotSameAs(large.slab());

        RingSlabs.Range none = slabs.take(0);
        assertThat(none.bytes()).isZero();
        slabs.release(none); // nothing to give back, and no error
        assertThat(slabs.slabBytes()).isEqualTo(RingSlabs.FIRST_SLAB_RANGES * 400L);
    }

    @Test
    void badRequests_areRefused() {
        assertThatThrownBy(() -> slabs.take(-1)).isInstanceOf(IllegalArgumentException.class);
        RingSlabs other = new RingSlabs();
        RingSlabs.Range foreign = other.take(64);
        assertThatThrownBy(() -> slabs.release(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never handed out here");
    }
}
