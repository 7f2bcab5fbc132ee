package io.headroom.controller.reservation;

import java.util.List;

/**
 * What the reservation book asks the engine when a request comes in: can this much be freed in
 * this scope now, and how do scopes nest. The engine's implementation reads the live power truth.
 */
public interface CapacityPlanner {

    /**
     * The arithmetic for {@code kw} in {@code scope} and in every limited scope above it.
     *
     * @param promisedKw for each scope checked, what overlapping reservations hold there already
     * @return one check per scope, the request's own first; empty when the scope does not exist or
     *     has no limit (the message says which)
     * @throws ReservationException {@code INVALID} when the scope does not exist or has no limit
     */
    List<CapacityCheck> check(
            ReservationScope scope, double kw, java.util.function.ToDoubleFunction<ReservationScope> promisedKw);

    /** True when {@code outer}'s subtree holds {@code inner} (or they are the same node). */
    boolean contains(ReservationScope outer, ReservationScope inner);
}
