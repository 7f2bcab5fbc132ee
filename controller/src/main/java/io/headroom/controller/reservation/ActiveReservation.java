package io.headroom.controller.reservation;

/**
 * A reservation whose capacity is to be held now, as the engine takes it.
 *
 * @param baselineKw the scope's reserved-class load when the hold began; NaN before the first observation
 */
public record ActiveReservation(String id, ReservationScope scope, double kw, double baselineKw, int priority) {}
