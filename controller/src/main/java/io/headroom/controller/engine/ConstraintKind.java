package io.headroom.controller.engine;

import java.util.Locale;

/**
 * Why a node has a limit. A hard limit (a breaker, the interconnect, a cooling zone) may curtail
 * even must-run devices when nothing else is left; a grid event or a reservation is soft: it never
 * touches a class that is not interruptible.
 */
public enum ConstraintKind {
    /** The site's interconnect limit. */
    INTERCONNECT(true),
    /** A feed's, PDU's, circuit's or rack's breaker. */
    BREAKER(true),
    /** A cooling zone's heat rejection, derated for its inlet temperature. */
    THERMAL(true),
    /** The target of the active grid event on the site. */
    GRID_EVENT(false),
    /** Capacity held free in a scope for a reservation: its limit less what is promised and not yet used. */
    RESERVATION(false),
    /** A market strike: the energy price is above the break-even of these miners. */
    MARKET(false);

    private final boolean hard;
    private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    ConstraintKind(boolean hard) {
        this.hard = hard;
    }

    public boolean hard() {
        return hard;
    }

    public String wireName() {
        return wireName;
    }
}
