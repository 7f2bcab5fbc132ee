package io.headroom.controller.grid.signal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How signals are judged: when one is stale, what a stale one falls back to, and how far ahead of
 * the controller's clock a timestamp may be.
 *
 * @param maxAge a signal whose timestamp is older than this is stale (and refused on arrival)
 * @param failSafePercent while stale, the site is held at most at this percent too (the lower of
 *     this and the last signal's percent wins); empty to hold the last signal's percent only
 * @param timestampTolerance a signal stamped further ahead of the controller's clock is refused
 */
public record GridSignalPolicy(Duration maxAge, Optional<Double> failSafePercent, Duration timestampTolerance) {

    public GridSignalPolicy {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(failSafePercent, "failSafePercent");
        Objects.requireNonNull(timestampTolerance, "timestampTolerance");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " must be positive");
        }
        if (timestampTolerance.isNegative()) {
            throw new IllegalArgumentException("timestampTolerance: " + timestampTolerance + " is negative");
        }
        failSafePercent.ifPresent(percent -> {
            if (!(percent >= 0 && percent <= GridSignal.NO_CURTAILMENT)) {
                throw new IllegalArgumentException("failSafePercent: " + percent + " is not within 0..100");
            }
        });
    }
}
