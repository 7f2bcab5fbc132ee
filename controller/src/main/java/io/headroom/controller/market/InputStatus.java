package io.headroom.controller.market;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One input as the evaluator saw it.
 *
 * @param input which price
 * @param latest its latest point, if any
 * @param age how old that point was
 * @param maxAge past this it is stale
 * @param stale no point, or older than max age
 */
public record InputStatus(
        MarketInput input, Optional<PricePoint> latest, Optional<Duration> age, Duration maxAge, boolean stale) {
    public InputStatus {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(latest, "latest");
        Objects.requireNonNull(age, "age");
        Objects.requireNonNull(maxAge, "maxAge");
    }

    /** The value when fresh. */
    public Optional<Double> freshValue() {
        return stale ? Optional.empty() : latest.map(PricePoint::value);
    }

    /** Why it is stale, e.g. {@code energy-rt stale: last point 2026-12-01T10:00:00Z is PT25M old, max age PT15M}. */
    String staleness() {
        if (latest.isEmpty()) {
            return input.spelling() + " missing: no price read yet";
        }
        return input.spelling() + " stale: last point " + latest.get().at() + " is " + age.orElse(Duration.ZERO)
                + " old, max age " + maxAge;
    }
}
