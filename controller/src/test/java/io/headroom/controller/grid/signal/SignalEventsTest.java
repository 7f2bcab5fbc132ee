package io.headroom.controller.grid.signal;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.SteppableClock;
import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.grid.GridEventState;
import io.headroom.controller.grid.GridEventView;
import io.headroom.controller.grid.RequestedTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The grid signal as one event of the book: created, updated, held when stale, cancelled by a fresh 100 %. */
class SignalEventsTest {

    private final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T14:00:00Z"));
    private final GridEventBook book = new GridEventBook(record -> {}, new SimpleMeterRegistry());
    private final GridSignalState state =
            new GridSignalState(new GridSignalPolicy(Duration.ofMinutes(5), Optional.of(50.0), Duration.ofSeconds(30)));
    private final SignalEvents events = new SignalEvents(book, state, clock);

    @Test
    void aSignalBecomesOneEventThatFollowsItAndEndsOnlyWithAFresh100() {
        offer(60);
        GridEventView event = only();
        assertThat(event.event().source()).isEqualTo(SignalEvents.SOURCE);
        assertThat(event.event().target()).isEqualTo(new RequestedTarget(RequestedTarget.Kind.REDUCE_PERCENT, 40));
        assertThat(event.event().start()).isEqualTo(clock.instant());

        clock.advance(Duration.ofSeconds(30));
        offer(70);
        assertThat(only().event().id()).isEqualTo(event.event().id());
        assertThat(only().event().target().value()).isEqualTo(30);
        assertThat(only().event().revision()).isGreaterThan(event.event().revision());

        // The signal goes stale: the event stays, tightened to the fail-safe 50 %.
        clock.advance(Duration.ofMinutes(6));
        events.check();
        assertThat(only().event().isFinal()).isFalse();
        assertThat(only().event().target().value()).isEqualTo(50);

        // A stale 100 % cannot end it; a fresh one does.
        clock.advance(Duration.ofSeconds(1));
        offer(100);
        assertThat(only().event().state()).isEqualTo(GridEventState.CANCELLED);
    }

    private void offer(double percent) {
        SignalOutcome outcome =
                state.offer(new GridSignal(percent, clock.instant(), Optional.empty()), clock.instant());
        assertThat(outcome).as(outcome.toString()).isInstanceOf(SignalOutcome.Accepted.class);
        state.status(clock.instant()).ifPresent(events::signal);
    }

    private GridEventView only() {
        List<GridEventView> all = book.list();
        assertThat(all).hasSize(1);
        return all.get(0);
    }
}
