package io.headroom.controller.grid.signal;

import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.grid.GridEventPriority;
import io.headroom.controller.grid.GridEventRequest;
import io.headroom.controller.grid.GridEventState;
import io.headroom.controller.grid.GridEventView;
import io.headroom.controller.grid.RequestedTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the grid signal into one grid event of the book (source {@code mqtt-signal}, reference
 * {@code grid-signal}), so the engine, the compliance record and the API treat it like any other:
 * a percent below 100 is an event that reduces the site by the rest from its load when the
 * curtailment began; a new percent updates that event; a fresh 100 cancels it. The event runs until
 * then: a signal that goes stale never ends it (it fails safe to the curtailed state), and
 * {@link #check()} tightens it when the fail-safe percent asks for more.
 */
public final class SignalEvents implements GridSignalListener {

    public static final String SOURCE = "mqtt-signal";
    public static final String REFERENCE = "grid-signal";
    static final String WHO = "grid-signal";
    /** Seconds to reach a new signal's target: a signal is an instruction for now, not a schedule. */
    static final int RAMP_SECONDS = 60;

    private static final Logger LOGGER = LoggerFactory.getLogger(SignalEvents.class);

    private final GridEventBook book;
    private final GridSignalState state;
    private final Clock clock;

    public SignalEvents(GridEventBook book, GridSignalState state, Clock clock) {
        this.book = Objects.requireNonNull(book, "book");
        this.state = Objects.requireNonNull(state, "state");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void signal(SignalStatus status) {
        apply(status, clock.instant());
    }

    /** Re-evaluates the last signal now (run every minute): a stale one may tighten, never lift. */
    public void check() {
        Instant now = clock.instant();
        state.status(now).ifPresent(status -> apply(status, now));
    }

    private void apply(SignalStatus status, Instant now) {
        if (status.effectivePercent() >= GridSignal.NO_CURTAILMENT) {
            if (!status.stale()) {
                for (GridEventView view : book.list()) {
                    if (SOURCE.equals(view.event().source())
                            && REFERENCE.equals(view.event().reference())
                            && !view.event().isFinal()
                            && view.event().state() != GridEventState.RESTORING) {
                        book.cancel(view.event().id(), WHO, now);
                        LOGGER.info(
                                "grid signal back at 100 %: event {} cancelled",
                                view.event().id());
                    }
                }
            }
            return;
        }
        Instant since = status.curtailedSince().orElse(now);
        Instant start = since.isBefore(now.minus(Duration.ofDays(6))) ? now.minus(Duration.ofDays(6)) : since;
        double reduce = Math.max(0.001, GridSignal.NO_CURTAILMENT - status.effectivePercent());
        GridEventRequest request = new GridEventRequest(
                new RequestedTarget(RequestedTarget.Kind.REDUCE_PERCENT, Math.min(100, reduce)),
                start,
                start.plus(GridEventRequest.MAX_DURATION),
                RAMP_SECONDS,
                GridEventPriority.NORMAL,
                SOURCE,
                REFERENCE);
        book.submit(request, WHO, now);
    }
}
