package io.headroom.controller.grid;

import java.time.Instant;
import java.util.Objects;

/**
 * One point of an event's compliance record.
 *
 * @param at when the engine observed it
 * @param siteLoadKw the site root's load
 * @param targetKw what the site had to be at or below at that moment (the ramp point)
 * @param metered whether the load came from the site meter; only metered load proves curtailment
 */
public record ComplianceSample(Instant at, double siteLoadKw, double targetKw, boolean metered) {
    public ComplianceSample {
        Objects.requireNonNull(at, "at");
    }
}
