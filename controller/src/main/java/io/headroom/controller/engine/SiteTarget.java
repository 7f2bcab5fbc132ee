package io.headroom.controller.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * What a grid event asks of the site at one instant.
 *
 * @param eventId the event
 * @param targetKw the site must be at or below this now (the ramp's current step)
 * @param finalTargetKw where the ramp ends
 * @param deadline when the site must be at the final target
 */
public record SiteTarget(String eventId, double targetKw, double finalTargetKw, Instant deadline) {

    public SiteTarget {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(deadline, "deadline");
        if (!(targetKw >= 0) || !(finalTargetKw >= 0)) {
            throw new IllegalArgumentException("targets must be finite and non-negative");
        }
    }
}
