package io.headroom.controller.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceWindowTest {

    @Test
    void offer_inOrder_movesContiguous() {
        SequenceWindow window = new SequenceWindow();
        window.reset(0);

        assertThat(window.offer(1)).isEqualTo(SequenceWindow.Offer.IN_ORDER);
        assertThat(window.offer(2)).isEqualTo(SequenceWindow.Offer.IN_ORDER);
        assertThat(window.contiguous()).isEqualTo(2);
        assertThat(window.offer(2)).isEqualTo(SequenceWindow.Offer.DUPLICATE);
    }

    @Test
    void offer_aboveHole_heldUntilHoleFilled() {
        SequenceWindow window = new SequenceWindow();
        window.reset(3);

        assertThat(window.offer(6)).isEqualTo(SequenceWindow.Offer.AHEAD);
        assertThat(window.offer(5)).isEqualTo(SequenceWindow.Offer.AHEAD);
        assertThat(window.offer(6)).isEqualTo(SequenceWindow.Offer.DUPLICATE);
        assertThat(window.hasHole()).isTrue();
        assertThat(window.offer(4)).isEqualTo(SequenceWindow.Offer.IN_ORDER);

        assertThat(window.contiguous()).isEqualTo(6);
        assertThat(window.hasHole()).isFalse();
    }

    @Test
    void advanceTo_countsOnlyUnreceivedAsLost() {
        SequenceWindow window = new SequenceWindow();
        window.reset(0);
        window.offer(3);
        window.offer(5);

        assertThat(window.advanceTo(4)).isEqualTo(3);
        assertThat(window.contiguous()).isEqualTo(5);
        assertThat(window.advanceTo(2)).isZero();
    }

    @Test
    void offer_windowFull_refused() {
        SequenceWindow window = new SequenceWindow();
        window.reset(0);
        for (int i = 0; i < SequenceWindow.MAX_AHEAD; i++) {
            assertThat(window.offer(10 + i)).isEqualTo(SequenceWindow.Offer.AHEAD);
        }

        assertThat(window.offer(1_000_000)).isEqualTo(SequenceWindow.Offer.WINDOW_FULL);
        assertThat(window.offer(1)).isEqualTo(SequenceWindow.Offer.IN_ORDER);
    }
}
