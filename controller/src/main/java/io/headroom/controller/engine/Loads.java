package io.headroom.controller.engine;

import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteSnapshot;

/**
 * The load of every node as the engine counts it within one tick: the power truth, with each device
 * whose command is still in flight at what it is expected to draw (lower for a shed, higher for a
 * restore — never the more optimistic of the two), updated as the tick decides more actions.
 */
final class Loads {

    final SiteModel model;
    /** By node: the load counted, in kW. */
    final double[] node;
    /** By node: the last node index of its subtree (the model is in pre-order, so subtrees are ranges). */
    final int[] end;
    /** By zone: the racks' node indices. */
    final int[][] zoneRacks;
    /** By zone: the load counted, in kW. */
    final double[] zone;
    /** By node: the zone the node is in, or -1. */
    final int[] zoneOf;

    private Loads(SiteModel model) {
        this.model = model;
        int n = model.size();
        this.node = new double[n];
        this.end = new int[n];
        this.zoneOf = new int[n];
        java.util.Arrays.fill(zoneOf, -1);
        this.zoneRacks = new int[model.zones().size()][];
        this.zone = new double[zoneRacks.length];
    }

    static Loads count(SiteSnapshot power, DeviceFacts facts, EngineState state) {
        SiteModel model = power.model();
        Loads loads = new Loads(model);
        int n = model.size();
        double[] delta = new double[n];
        for (int i = 0; i < n; i++) {
            loads.end[i] = i;
            DeviceControl control = state.controls[i];
            if (control != null && control.intent.inFlight()) {
                double measured = power.loadKw(i);
                boolean restoring = control.restoring;
                delta[i] = restoring
                        ? Math.max(0, control.expectedKw - measured)
                        : Math.min(0, control.expectedKw - measured);
            }
        }
        for (int i = n - 1; i >= 1; i--) {
            int parent = model.parent(i);
            delta[parent] += delta[i];
            loads.end[parent] = Math.max(loads.end[parent], loads.end[i]);
        }
        for (int i = 0; i < n; i++) {
            loads.node[i] = power.loadKw(i) + delta[i];
        }
        for (int z = 0; z < loads.zoneRacks.length; z++) {
            int[] racks = model.zoneRacks(z);
            loads.zoneRacks[z] = racks;
            for (int rack : racks) {
                loads.zone[z] += loads.node[rack];
                for (int i = rack; i <= loads.end[rack]; i++) {
                    loads.zoneOf[i] = z;
                }
            }
        }
        return loads;
    }

    double of(Limit limit) {
        return limit.zone >= 0 ? zone[limit.zone] : node[limit.node];
    }

    /** True when {@code member} is in the limit's subtree or zone. */
    boolean contains(Limit limit, int member) {
        return limit.zone >= 0 ? zoneOf[member] == limit.zone : member >= limit.node && member <= end[limit.node];
    }

    /** A device's counted load changes by {@code deltaKw}: every ancestor's and its zone's with it. */
    void add(int device, double deltaKw) {
        for (int i = device; i >= 0; i = model.parent(i)) {
            node[i] += deltaKw;
        }
        if (zoneOf[device] >= 0) {
            zone[zoneOf[device]] += deltaKw;
        }
    }

    /** The hottest inlet reading among the zone's devices, or NaN. */
    double zoneInletC(int z, DeviceFacts facts) {
        double hottest = Double.NaN;
        for (int rack : zoneRacks[z]) {
            for (int i = rack; i <= end[rack]; i++) {
                double inlet = facts.inletC[i];
                if (!Double.isNaN(inlet)) {
                    hottest = Double.isNaN(hottest) ? inlet : Math.max(hottest, inlet);
                }
            }
        }
        return hottest;
    }
}
