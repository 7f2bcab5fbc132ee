package io.headroom.controller.reservation;

import java.time.Instant;

/**
 * One point of a reservation's record: promised against freed.
 *
 * @param freedKw the scope's limit less its load, plus what the reserved load has grown since the hold began
 * @param metered whether the load came from a meter (only a meter proves the capacity)
 */
public record ReservationSample(Instant at, double promisedKw, double freedKw, double loadKw, boolean metered) {}
