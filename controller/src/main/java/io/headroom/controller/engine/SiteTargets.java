package io.headroom.controller.engine;

import io.headroom.controller.reservation.ActiveReservation;
import io.headroom.controller.reservation.GridHold;
import io.headroom.controller.reservation.ReservationBook;
import io.headroom.controller.reservation.ReservationScope;
import io.headroom.controller.reservation.ScopeReading;
import io.headroom.controller.site.CoolingZone;
import io.headroom.controller.site.PowerSource;
import io.headroom.controller.site.SiteDevice;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The engine's targets on a site with reservations: the grid event's target from the grid-event
 * book, the reservations' holds from the reservation book, and back to each what the tick saw.
 * While a grid event holds the site, the engine keeps the site under its target less what the
 * reservations still promise, so AI load growing into a reservation does not break the event; when
 * both cannot be met the grid event (first in the engine's order of limits) wins and the
 * reservation's record says so.
 */
public final class SiteTargets implements TargetSource {

    private final TargetSource grid;
    private final ReservationBook reservations;
    private volatile @Nullable SiteTarget gridTarget;

    public SiteTargets(TargetSource grid, ReservationBook reservations) {
        this.grid = Objects.requireNonNull(grid, "grid");
        this.reservations = Objects.requireNonNull(reservations, "reservations");
    }

    @Override
    public @Nullable SiteTarget target(Instant now) {
        SiteTarget target = grid.target(now);
        gridTarget = target;
        return target;
    }

    @Override
    public List<CapacityHold> holds(Instant now) {
        List<CapacityHold> holds = new ArrayList<>();
        for (ActiveReservation r : reservations.holds(now)) {
            holds.add(new CapacityHold(r.id(), r.scope().kind(), r.scope().id(), r.kw(), r.baselineKw(), r.priority()));
        }
        return holds;
    }

    @Override
    public @Nullable Instant holdUntil(String eventId) {
        return eventId.startsWith(ReservationBook.ID_PREFIX) ? reservations.end(eventId) : grid.holdUntil(eventId);
    }

    @Override
    public void observe(Instant now, SiteSnapshot power, EngineState state, TickResult result) {
        grid.observe(now, power, state, result);
        SiteTarget target = gridTarget;
        reservations.observe(
                now,
                scope -> reading(power, scope),
                state::anyCurtailedFor,
                target == null ? null : new GridHold(target.eventId(), target.targetKw(), power.loadKw(0)));
    }

    /** A scope's limit, load and reserved-class load as the power truth has them. */
    static @Nullable ScopeReading reading(SiteSnapshot power, ReservationScope scope) {
        SiteModel model = power.model();
        if (scope.kind() == null) {
            List<CoolingZone> zones = model.zones();
            for (int z = 0; z < zones.size(); z++) {
                if (zones.get(z).id().equals(scope.id())) {
                    double load = 0;
                    double reserved = 0;
                    boolean metered = true;
                    for (int rack : model.zoneRacks(z)) {
                        load += power.loadKw(rack);
                        reserved += reserved(model, power, rack);
                        metered &= power.source(rack) == PowerSource.METERED;
                    }
                    return new ScopeReading(zones.get(z).heatRejectionKw(), load, reserved, metered);
                }
            }
            return null;
        }
        int node = model.indexOf(scope.kind(), scope.id());
        if (node < 0) {
            return null;
        }
        return new ScopeReading(
                model.limitKw(node),
                power.loadKw(node),
                reserved(model, power, node),
                power.source(node) == PowerSource.METERED);
    }

    /** The load of the node's devices in must-run classes, by the power truth. */
    private static double reserved(SiteModel model, SiteSnapshot power, int node) {
        double sum = 0;
        // The model is in pre-order: the subtree is the run of nodes after it deeper than it.
        for (int i = node; i < model.size(); i++) {
            if (i > node && !within(model, i, node)) {
                break;
            }
            SiteDevice device = model.device(i);
            if (device != null && Candidates.reserved(model, device) && !Double.isNaN(power.loadKw(i))) {
                sum += power.loadKw(i);
            }
        }
        return sum;
    }

    private static boolean within(SiteModel model, int member, int ancestor) {
        for (int n = member; n >= 0; n = model.parent(n)) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }
}
