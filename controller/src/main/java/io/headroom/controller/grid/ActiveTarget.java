package io.headroom.controller.grid;

import java.time.Instant;
import java.util.Objects;

/**
 * What the site must be at or below now, for the control engine.
 *
 * @param eventId the event that sets it
 * @param targetKw the site's limit now: the final target for an emergency, a point on the ramp
 *     for a normal event
 * @param finalTargetKw the limit at the end of the ramp
 * @param deadline when the meter must show {@code finalTargetKw}: start + ramp_seconds
 * @param priority the event's priority
 */
public record ActiveTarget(
        String eventId, double targetKw, double finalTargetKw, Instant deadline, GridEventPriority priority) {
    public ActiveTarget {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(priority, "priority");
    }
}
