package io.headroom.controller.engine;

import io.headroom.controller.site.SiteNodeKind;
import java.util.Objects;

/**
 * Capacity the engine keeps free in one scope for a reservation: the scope's load stays at or below
 * its limit less what the reserved load has not yet taken up. What it has taken up is the growth of
 * the scope's reserved-class load (the AI classes) above its level when the hold began, so AI load
 * arriving into its reservation never pushes more miners off.
 *
 * @param reservationId the reservation, carried on every action taken for it
 * @param scopeKind {@link SiteNodeKind#SITE}, a feed, PDU, circuit or rack; null for a cooling zone
 * @param scopeId the node's or the zone's id
 * @param kw the capacity promised
 * @param baselineKw the scope's reserved-class load when the hold began; NaN until the first observation
 * @param priority higher first when several holds compete for the same devices
 */
public record CapacityHold(
        String reservationId,
        @org.jspecify.annotations.Nullable SiteNodeKind scopeKind,
        String scopeId,
        double kw,
        double baselineKw,
        int priority) {

    public CapacityHold {
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(scopeId, "scopeId");
        if (!(kw > 0) || Double.isInfinite(kw)) {
            throw new IllegalArgumentException("a hold's kW must be finite and positive, not " + kw);
        }
    }

    /** True when the scope is a cooling zone rather than a node of the power tree. */
    public boolean zone() {
        return scopeKind == null;
    }

    /** What is still to be kept free: the promise less what the reserved load has grown into. */
    public double unusedKw(double reservedLoadKw) {
        double grown =
                Double.isNaN(baselineKw) || Double.isNaN(reservedLoadKw) ? 0 : Math.max(0, reservedLoadKw - baselineKw);
        return Math.max(0, kw - grown);
    }
}
