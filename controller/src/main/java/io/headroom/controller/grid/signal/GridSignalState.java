package io.headroom.controller.grid.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The last accepted grid signal, and what it means at a given instant. Thread-safe; it never reads
 * a clock, every method takes {@code now}, so staleness is tested by stepping time.
 *
 * <h2>Fail-safe</h2>
 * A signal is stale once its age exceeds {@link GridSignalPolicy#maxAge()}. While stale the status
 * says {@code failSafe} and its effective percent is the most curtailed of the last signal's
 * percent and the configured fail-safe percent: a lost or silent signal source never lifts a
 * curtailment, and with a fail-safe percent configured it starts one. Only a fresh signal moves
 * the effective percent up; a fresh 100 % ends the curtailment.
 *
 * <h2>Order</h2>
 * A signal is accepted only when its timestamp is after the last accepted one's, no further ahead
 * of {@code now} than the tolerance, and not already older than the maximum age. So a replay, a
 * redelivery or a delayed stale message cannot replace a newer signal, and no accepted signal is
 * stale on arrival (a stale 100 % therefore never ends a curtailment).
 */
public final class GridSignalState {
    private final GridSignalPolicy policy;

    // Guarded by this.
    private @Nullable GridSignal last;
    /** When the curtailment in force at the last acceptance began; null when none was. */
    private @Nullable Instant curtailedSince;

    public GridSignalState(GridSignalPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public GridSignalPolicy policy() {
        return policy;
    }

    /**
     * Accepts {@code signal} as the last good one, or says why not (then nothing changes).
     *
     * @param now the controller's clock when the signal arrived
     */
    public synchronized SignalOutcome offer(GridSignal signal, Instant now) {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(now, "now");
        Instant at = signal.timestamp();
        if (at.isAfter(now.plus(policy.timestampTolerance()))) {
            return new SignalOutcome.Dropped(
                    DropReason.FUTURE,
                    "timestamp " + at + " is " + Duration.between(now, at) + " ahead of the controller's clock " + now
                            + " (tolerance " + policy.timestampTolerance() + ")");
        }
        if (Duration.between(at, now).compareTo(policy.maxAge()) > 0) {
            return new SignalOutcome.Dropped(
                    DropReason.EXPIRED,
                    "timestamp " + at + " is already older than max-age " + policy.maxAge() + " at " + now);
        }
        if (last != null && !at.isAfter(last.timestamp())) {
            boolean same = at.equals(last.timestamp());
            return new SignalOutcome.Dropped(
                    same ? DropReason.DUPLICATE : DropReason.OLDER,
                    "timestamp " + at + (same ? " equals" : " is before") + " the last accepted signal's "
                            + last.timestamp());
        }
        SignalStatus before = last == null ? null : statusAt(now);
        if (!signal.curtails()) {
            curtailedSince = null;
        } else if (before != null && before.curtailedSince().isPresent()) {
            curtailedSince = before.curtailedSince().get(); // the curtailment goes on, from when it began
        } else {
            curtailedSince = at;
        }
        last = signal;
        return new SignalOutcome.Accepted(statusAt(now));
    }

    /** The last accepted signal, or empty before the first. */
    public synchronized Optional<GridSignal> last() {
        return Optional.ofNullable(last);
    }

    /** What the last accepted signal means at {@code now}, or empty before the first. */
    public synchronized Optional<SignalStatus> status(Instant now) {
        Objects.requireNonNull(now, "now");
        return last == null ? Optional.empty() : Optional.of(statusAt(now));
    }

    private SignalStatus statusAt(Instant now) {
        GridSignal last = Objects.requireNonNull(this.last, "no signal yet");
        Duration age = Duration.between(last.timestamp(), now);
        if (age.isNegative()) {
            age = Duration.ZERO; // stamped slightly ahead, within the tolerance
        }
        boolean stale = age.compareTo(policy.maxAge()) > 0;
        if (!stale) {
            return new SignalStatus(last, age, false, false, last.targetPercent(), Optional.ofNullable(curtailedSince));
        }
        double effective =
                Math.min(last.targetPercent(), policy.failSafePercent().orElse(GridSignal.NO_CURTAILMENT));
        Optional<Instant> since = Optional.empty();
        if (effective < GridSignal.NO_CURTAILMENT) {
            // A curtailment the fail-safe percent started begins when the signal went stale.
            since = Optional.of(
                    curtailedSince != null ? curtailedSince : last.timestamp().plus(policy.maxAge()));
        }
        return new SignalStatus(last, age, true, true, effective, since);
    }

    @Override
    public synchronized String toString() {
        return "GridSignalState[" + (last == null ? "no signal" : last) + "]";
    }
}
