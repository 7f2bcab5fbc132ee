package io.headroom.controller.reservation;

/**
 * One tick's reading of a reservation's scope, from the engine's power truth.
 *
 * @param limitKw the scope's limit now (a zone's derated), NaN when the scope is gone from the model
 * @param loadKw the scope's load
 * @param reservedLoadKw the part of it in the reserved (must-run, AI) classes
 * @param metered whether the load is a meter's reading rather than a sum of device estimates
 */
public record ScopeReading(double limitKw, double loadKw, double reservedLoadKw, boolean metered) {}
