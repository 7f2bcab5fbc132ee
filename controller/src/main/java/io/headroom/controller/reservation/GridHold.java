package io.headroom.controller.reservation;

/**
 * The grid event holding the site while reservations are observed: a reservation's capacity is
 * available to its AI load only as far as the grid event's target leaves room for it.
 *
 * @param targetKw the event's target for the site now
 * @param siteLoadKw the site's load now
 */
public record GridHold(String eventId, double targetKw, double siteLoadKw) {}
