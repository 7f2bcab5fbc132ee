package io.headroom.controller.grid.signal;

import io.headroom.controller.log.RateLimitedLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes grid signal payloads from the transport: parses them, offers them to the
 * {@link GridSignalState} at the controller's clock, counts and logs (rate-limited) every drop,
 * and tells the listener about every accepted signal. Thread-safe; never throws for a payload.
 *
 * <p>Memory does not grow with the number of signals: the state keeps one signal, the counters
 * are fixed (one per {@link DropReason}), and the log keys are the reasons' tags.
 *
 * <p>Meters: {@code headroom.grid.signal.accepted}, {@code headroom.grid.signal.dropped{reason}},
 * {@code headroom.grid.signal.listener.failures}.
 */
public final class GridSignalReceiver {
    private static final Logger logger = LoggerFactory.getLogger(GridSignalReceiver.class);

    private final GridSignalState state;
    private final GridSignalListener listener;
    private final Clock clock;
    private final RateLimitedLog log;
    private final Counter accepted;
    private final Counter listenerFailures;
    /** By {@link DropReason#ordinal()}. */
    private final Counter[] dropped = new Counter[DropReason.values().length];

    /**
     * @param clock the controller's wall clock, which signal timestamps are judged against
     * @param nanoTime a monotonic clock for the log's rate limit ({@code System::nanoTime} outside tests)
     */
    public GridSignalReceiver(
            GridSignalState state,
            GridSignalListener listener,
            MeterRegistry registry,
            Clock clock,
            LongSupplier nanoTime) {
        this.state = Objects.requireNonNull(state, "state");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(registry, "registry");
        // 5 lines per reason per 10 s: a flood of bad signals is visible, never a flood of lines.
        this.log = new RateLimitedLog(logger, 5, 10_000, registry, nanoTime);
        this.accepted = Counter.builder("headroom.grid.signal.accepted")
                .description("Grid signals accepted as the last good signal")
                .register(registry);
        this.listenerFailures = Counter.builder("headroom.grid.signal.listener.failures")
                .description("Exceptions thrown by the grid signal listener")
                .register(registry);
        for (DropReason reason : DropReason.values()) {
            dropped[reason.ordinal()] = Counter.builder("headroom.grid.signal.dropped")
                    .tag("reason", reason.tag())
                    .description("Grid signals dropped; the last good signal is unchanged")
                    .register(registry);
        }
    }

    public GridSignalState state() {
        return state;
    }

    /**
     * Handles one payload published on the grid signal topic; {@code payload} is only read during
     * the call and is not changed.
     *
     * @param from who published it (the principal's name), for the log
     */
    public SignalOutcome receive(ByteBuffer payload, String from) {
        SignalOutcome outcome;
        try {
            outcome = state.offer(GridSignalPayload.parse(payload), clock.instant());
        } catch (GridSignalPayload.InvalidSignalException e) {
            outcome = new SignalOutcome.Dropped(e.reason(), e.detail());
        }
        if (outcome instanceof SignalOutcome.Dropped drop) {
            dropped[drop.reason().ordinal()].increment();
            log.warn(
                    drop.reason().tag(),
                    "grid signal from '{}' dropped ({}): {}",
                    from,
                    drop.reason().tag(),
                    drop.detail());
        } else if (outcome instanceof SignalOutcome.Accepted accept) {
            accepted.increment();
            SignalStatus status = accept.status();
            // Rate-limited too: an authorised source can still flood, and the status is always queryable.
            log.info(
                    "accepted",
                    "grid signal from '{}' accepted: {} % at {}{}",
                    from,
                    status.percent(),
                    status.timestamp(),
                    status.signal().id().map(id -> " (id " + id + ")").orElse(""));
            try {
                listener.signal(status);
            } catch (RuntimeException e) {
                listenerFailures.increment();
                logger.error("the grid signal listener threw for the signal at {}", status.timestamp(), e);
            }
        }
        return outcome;
    }
}
