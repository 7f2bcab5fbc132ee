package io.headroom.controller.engine;

import io.headroom.controller.reservation.CapacityCheck;
import io.headroom.controller.reservation.CapacityPlanner;
import io.headroom.controller.reservation.ReservationException;
import io.headroom.controller.reservation.ReservationScope;
import io.headroom.controller.site.CoolingZone;
import io.headroom.controller.site.SiteDevice;
import io.headroom.controller.site.SiteModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The engine's answer to "can this much capacity be freed here now?": for the scope and every
 * limited node above it, the load counted as a tick counts it against the shed line, and what its
 * interruptible devices could give (each down to its sleep power, or its lowest power target when
 * it cannot sleep). Must-run classes, maintenance and never-touch devices give nothing.
 */
public final class EngineCapacity implements CapacityPlanner {

    private final java.util.function.Supplier<EngineLoop.Planning> planning;
    private final EngineSettings settings;

    /**
     * @param planning the site now, asked on each check ({@link EngineLoop#planning}; the book is made
     *     before the loop it plans with)
     */
    public EngineCapacity(java.util.function.Supplier<EngineLoop.Planning> planning, EngineSettings settings) {
        this.planning = Objects.requireNonNull(planning, "planning");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public List<CapacityCheck> check(ReservationScope scope, double kw, ToDoubleFunction<ReservationScope> promisedKw) {
        EngineLoop.Planning planning = this.planning.get();
        SiteModel model = planning.power().model();
        Loads loads = Loads.count(planning.power(), planning.facts(), planning.state());
        double shedLine = settings.shedLine();
        List<CapacityCheck> checks = new ArrayList<>();
        if (scope.kind() == null) {
            List<CoolingZone> zones = model.zones();
            for (int z = 0; z < zones.size(); z++) {
                CoolingZone zone = zones.get(z);
                if (zone.id().equals(scope.id())) {
                    double inlet = loads.zoneInletC(z, planning.facts());
                    double budget = zone.heatRejectionKw() * (Double.isNaN(inlet) ? 1 : zone.derateFactor(inlet));
                    double[] give = new double[3];
                    for (int rack : loads.zoneRacks[z]) {
                        add(give, freeable(model, loads, planning.facts(), rack, loads.end[rack]));
                    }
                    checks.add(
                            check(scope, budget, shedLine, loads.zone[z], give, kw, promisedKw.applyAsDouble(scope)));
                    return checks;
                }
            }
            throw new ReservationException(
                    ReservationException.Reason.INVALID, "the site has no cooling zone '" + scope.id() + "'");
        }
        int node = model.indexOf(scope.kind(), scope.id());
        if (node < 0) {
            throw new ReservationException(
                    ReservationException.Reason.INVALID, "the site has no " + scope + " (scope)");
        }
        if (Double.isNaN(model.limitKw(node))) {
            throw new ReservationException(
                    ReservationException.Reason.INVALID,
                    scope + " has no limit to reserve capacity under; reserve on a scope with a breaker rating"
                            + " (the site, a feed, a PDU, a circuit or a rack with limit-kw)");
        }
        for (int i = node; i >= 0; i = model.parent(i)) {
            if (Double.isNaN(model.limitKw(i))) {
                continue;
            }
            ReservationScope at = new ReservationScope(model.kind(i), model.id(i));
            double[] give = freeable(model, loads, planning.facts(), i, loads.end[i]);
            checks.add(check(at, model.limitKw(i), shedLine, loads.node[i], give, kw, promisedKw.applyAsDouble(at)));
        }
        return checks;
    }

    private static CapacityCheck check(
            ReservationScope scope,
            double limitKw,
            double shedLine,
            double loadKw,
            double[] give,
            double kw,
            double promisedKw) {
        double line = limitKw * shedLine;
        double needed = Math.max(0, loadKw + kw + promisedKw - line);
        return new CapacityCheck(
                scope.toString(), limitKw, line, loadKw, give[1], give[0], (int) give[2], kw, promisedKw, needed);
    }

    private static void add(double[] sum, double[] more) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += more[i];
        }
    }

    /** Over the nodes {@code from..to}: {freeable kW, must-run kW, freeable devices}. */
    private static double[] freeable(SiteModel model, Loads loads, DeviceFacts facts, int from, int to) {
        double[] give = new double[3];
        for (int node = from; node <= to; node++) {
            SiteDevice device = model.device(node);
            if (device == null) {
                continue;
            }
            double load = loads.node[node];
            if (Double.isNaN(load)) {
                continue;
            }
            if (!ControlEngine.commandable(device) || Candidates.rank(model, device) != Candidates.ANY) {
                give[1] += load;
                continue;
            }
            double floorKw;
            if (facts.canSleep[node]) {
                floorKw = facts.sleepKw(node);
            } else if (facts.canTarget(node)) {
                floorKw = facts.minTargetW[node] / 1000;
            } else {
                give[1] += load;
                continue;
            }
            double more = load - floorKw;
            if (more > 0) {
                give[0] += more;
                give[2]++;
            }
        }
        return give;
    }

    @Override
    public boolean contains(ReservationScope outer, ReservationScope inner) {
        if (outer.kind() == null || inner.kind() == null) {
            return outer.equals(inner);
        }
        SiteModel model = planning.get().state().model();
        int o = model.indexOf(outer.kind(), outer.id());
        int i = model.indexOf(inner.kind(), inner.id());
        if (o < 0 || i < 0) {
            return outer.equals(inner);
        }
        for (int n = i; n >= 0; n = model.parent(n)) {
            if (n == o) {
                return true;
            }
        }
        return false;
    }
}
