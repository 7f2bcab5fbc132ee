package io.headroom.controller.grid.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the last accepted grid signal means at one instant.
 *
 * @param signal the last accepted signal, as published
 * @param age how old its timestamp is at the instant asked about (zero for a timestamp slightly
 *     ahead, within the tolerance)
 * @param stale true when {@code age} exceeds the configured maximum age
 * @param failSafe true exactly while stale: {@code effectivePercent} then comes from the fail-safe
 *     rule, not from a fresh signal
 * @param effectivePercent the percent to act on: the signal's own while fresh; while stale the most
 *     curtailed of the signal's percent and the configured fail-safe percent, so that losing the
 *     signal never lifts a curtailment
 * @param curtailedSince when the curtailment now in force began (the timestamp of the first signal
 *     below 100 after a fresh 100, or the instant the signal went stale when the fail-safe percent
 *     started it); empty while {@code effectivePercent} is 100. The load at that time is the
 *     reference the percent applies to.
 */
public record SignalStatus(
        GridSignal signal,
        Duration age,
        boolean stale,
        boolean failSafe,
        double effectivePercent,
        Optional<Instant> curtailedSince) {

    public SignalStatus {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(age, "age");
        Objects.requireNonNull(curtailedSince, "curtailedSince");
        if (age.isNegative()) {
            throw new IllegalArgumentException("age: " + age + " is negative");
        }
        if (failSafe != stale) {
            throw new IllegalArgumentException("failSafe: " + failSafe + " but stale: " + stale);
        }
        if (!(effectivePercent >= 0 && effectivePercent <= GridSignal.NO_CURTAILMENT)) {
            throw new IllegalArgumentException("effectivePercent: " + effectivePercent + " is not within 0..100");
        }
        if (curtailedSince.isPresent() != (effectivePercent < GridSignal.NO_CURTAILMENT)) {
            throw new IllegalArgumentException(
                    "curtailedSince: present exactly when effectivePercent is below 100, was " + curtailedSince + " at "
                            + effectivePercent);
        }
    }

    /** The percent the signal itself asked for. */
    public double percent() {
        return signal.targetPercent();
    }

    /** The signal's own timestamp. */
    public Instant timestamp() {
        return signal.timestamp();
    }
}
