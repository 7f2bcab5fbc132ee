package io.headroom.controller.site;

import java.time.Instant;
import java.util.List;

/**
 * The power truth of a whole site at one instant, as {@link PowerTruth#compute} found it: per node
 * (devices included, indexed as in the {@link SiteModel}) the load in kW, where the figure came from
 * and how its reading stood; per cooling zone the load of its racks. Typed arrays, not JSON: the
 * control loop reads it every tick, the API turns it into JSON on request.
 */
public final class SiteSnapshot {

    private final SiteModel model;
    private final Instant at;
    private final double[] loadKw;
    private final PowerSource[] sources;
    private final ReadingState[] readings;
    private final double[] zoneLoadKw;
    private final List<SiteProblem> problems;

    SiteSnapshot(
            SiteModel model,
            Instant at,
            double[] loadKw,
            PowerSource[] sources,
            ReadingState[] readings,
            double[] zoneLoadKw,
            List<SiteProblem> problems) {
        this.model = model;
        this.at = at;
        this.loadKw = loadKw;
        this.sources = sources;
        this.readings = readings;
        this.zoneLoadKw = zoneLoadKw;
        this.problems = List.copyOf(problems);
    }

    public SiteModel model() {
        return model;
    }

    /** The instant the figures are for (the injected clock's). */
    public Instant at() {
        return at;
    }

    public double loadKw(int node) {
        return loadKw[node];
    }

    public PowerSource source(int node) {
        return sources[node];
    }

    /**
     * For a device, the state of the reading its figure came from, or of the best one it had; for a
     * node with a meter, the meter's; {@link ReadingState#NONE} for a node without one.
     */
    public ReadingState reading(int node) {
        return readings[node];
    }

    /** Limit minus load in kW; NaN when the node has no limit. Negative when over it. */
    public double headroomKw(int node) {
        return model.limitKw(node) - loadKw[node];
    }

    /** Sum of the loads of the zone's racks. */
    public double zoneLoadKw(int zone) {
        return zoneLoadKw[zone];
    }

    /**
     * The same site with some devices drawing differently, for a plan that asks "what if": each
     * device's change is added to it, to every node above it and to its rack's cooling zone, the
     * way a tick counts a command in flight; sources, readings and problems stay as they are.
     *
     * @param deltaKw by node index, the change of each device's load in kW (0 for most)
     */
    public SiteSnapshot withDeviceChanges(double[] deltaKw) {
        if (deltaKw.length != loadKw.length) {
            throw new IllegalArgumentException("expected " + loadKw.length + " changes, got " + deltaKw.length);
        }
        double[] load = loadKw.clone();
        for (int node = 0; node < deltaKw.length; node++) {
            double delta = deltaKw[node];
            if (delta != 0) {
                for (int i = node; i >= 0; i = model.parent(i)) {
                    load[i] += delta;
                }
            }
        }
        double[] zones = zoneLoadKw.clone();
        for (int z = 0; z < zones.length; z++) {
            // A zone's load is its racks' (PowerTruth's rule): the racks' changes carry over.
            for (int rack : model.zoneRacks(z)) {
                zones[z] += load[rack] - loadKw[rack];
            }
        }
        return new SiteSnapshot(model, at, load, sources, readings, zones, problems);
    }

    /** Problems power truth found (devices without any figure, reported by an unexpected agent). */
    public List<SiteProblem> problems() {
        return problems;
    }
}
