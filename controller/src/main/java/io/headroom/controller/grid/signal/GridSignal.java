package io.headroom.controller.grid.signal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One grid signal as published: the site may draw at most {@code targetPercent} of its load at the
 * time the signal first dropped below 100; 100 means no curtailment.
 *
 * @param targetPercent 0 to 100
 * @param timestamp when the grid side issued it, on the grid side's clock
 * @param id the publisher's own id for it, for logs and audit; empty when none was given
 */
public record GridSignal(double targetPercent, Instant timestamp, Optional<String> id) {

    /** 100 %: no curtailment. */
    public static final double NO_CURTAILMENT = 100.0;

    public GridSignal {
        if (!(targetPercent >= 0 && targetPercent <= NO_CURTAILMENT)) {
            throw new IllegalArgumentException("targetPercent: " + targetPercent + " is not within 0..100");
        }
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(id, "id");
    }

    /** True when the signal asks for less than all of the load. */
    public boolean curtails() {
        return targetPercent < NO_CURTAILMENT;
    }
}
