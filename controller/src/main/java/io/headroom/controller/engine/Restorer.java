package io.headroom.controller.engine;

import io.headroom.controller.site.SiteDevice;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Gives curtailed devices their power back, most efficient first (must-run classes before all, then
 * capped AI load), in
 * staggered batches per circuit against inrush: at most {@link EngineSettings#restoreBatchPerCircuit()}
 * devices of one circuit per {@link EngineSettings#restoreInterval()}. A device is restored only when
 * every limit above it stays under its restore line with the device counted at what it drew before
 * it was curtailed, so a restore never puts a node back over a limit (or into capacity a reservation
 * holds), and a device comes back only
 * after its minimum curtailed time and the command interval. Nothing is restored while a grid event
 * holds the site, within the dwell after every node went under its restore line, or within the
 * cooldown after the last shed.
 */
final class Restorer {

    private final EngineSettings settings;
    private final DeviceFacts facts;
    private final EngineState state;
    private final Loads loads;
    private final long nowMillis;
    private final SiteModel model;
    private final MarketStrikes strikes;
    /** By node: the tightest reservation hold on it, or NaN. */
    private double[] holdKw = new double[0];

    Restorer(
            EngineSettings settings,
            SiteSnapshot power,
            DeviceFacts facts,
            EngineState state,
            Loads loads,
            long nowMillis,
            MarketStrikes strikes) {
        this.settings = settings;
        this.strikes = strikes;
        this.facts = facts;
        this.state = state;
        this.loads = loads;
        this.nowMillis = nowMillis;
        this.model = power.model();
    }

    /**
     * Restores what may be restored.
     *
     * @param limits every limit without the grid event's
     * @param holds the reservations' holds: they do not stop restoring elsewhere, but no device is
     *     restored into a scope's held capacity
     * @return why restoring waits, or empty when it did not or had nothing to do
     */
    String restore(List<Limit> limits, List<Limit> holds, @Nullable SiteTarget target, List<Action> out) {
        double line = settings.restoreLine();
        double[] zoneBudget = new double[model.zones().size()];
        holdKw = new double[model.size()];
        java.util.Arrays.fill(holdKw, Double.NaN);
        for (Limit hold : holds) {
            if (hold.zone < 0) {
                holdKw[hold.node] =
                        Double.isNaN(holdKw[hold.node]) ? hold.limitKw : Math.min(holdKw[hold.node], hold.limitKw);
            }
        }
        for (Limit limit : limits) {
            if (limit.zone >= 0) {
                zoneBudget[limit.zone] = limit.limitKw;
                for (Limit hold : holds) {
                    if (hold.zone == limit.zone) {
                        zoneBudget[limit.zone] = Math.min(zoneBudget[limit.zone], hold.limitKw);
                    }
                }
            }
            if (loads.of(limit) > limit.limitKw * line) {
                state.belowSinceMillis = DeviceControl.NEVER;
                return limit.nodeKind + " " + limit.id + " is above its restore line (limit less margin and deadband)";
            }
        }
        if (target != null) {
            // The dwell counts from the event's end: the site must prove it stays under without it.
            state.belowSinceMillis = DeviceControl.NEVER;
            return "grid event " + target.eventId() + " holds the site";
        }
        if (state.belowSinceMillis == DeviceControl.NEVER) {
            state.belowSinceMillis = nowMillis;
        }
        if (nowMillis - state.belowSinceMillis < settings.restoreDwell().toMillis()) {
            return "every node must stay under its restore line for "
                    + settings.restoreDwell().toSeconds() + " s";
        }
        if (nowMillis - state.lastShedAtMillis < settings.cooldown().toMillis()) {
            return "cooldown of " + settings.cooldown().toSeconds() + " s after the last shed";
        }
        if (nowMillis < state.holdUntilMillis) {
            return "reconciling with the devices' telemetry after a restart";
        }
        Candidates candidates = new Candidates();
        for (DeviceControl control : state.controls) {
            if (control == null || !control.curtailed() || !due(control)) {
                continue;
            }
            SiteDevice device = model.device(control.node);
            if (device == null || !ControlEngine.commandable(device)) {
                continue;
            }
            if (strikes.reason(facts.model[control.node], device.priorityClass()) != null
                    && Candidates.rank(model, device) == Candidates.ANY) {
                // Struck by the market: it stays off until the price comes back under its break-even.
                continue;
            }
            // Must-run classes first, then the most efficient.
            candidates.add(
                    control.node,
                    Candidates.MUST_RUN - Math.max(0, Candidates.rank(model, device)),
                    control.knownEfficiencyJth);
        }
        Map<Integer, Integer> batch = new HashMap<>();
        for (int node : candidates.sorted()) {
            int circuit = circuitOf(node);
            long last = state.lastRestoreAtMillis[circuit];
            boolean newBatch = nowMillis - last >= settings.restoreInterval().toMillis();
            int taken = batch.getOrDefault(circuit, 0);
            if ((!newBatch && last != nowMillis) || taken >= settings.restoreBatchPerCircuit()) {
                continue;
            }
            DeviceControl control = state.controls[node];
            double backKw = restoreKw(node, control);
            double deltaKw = Math.max(0, backKw - loads.node[node]);
            if (!fits(node, deltaKw, zoneBudget)) {
                continue;
            }
            Action action = action(node, control, backKw);
            if (action == null) {
                continue;
            }
            state.lastRestoreAtMillis[circuit] = nowMillis;
            batch.put(circuit, taken + 1);
            control.command(action.kind(), true, action.expectedKw(), nowMillis);
            loads.add(node, deltaKw);
            out.add(action);
        }
        return "";
    }

    private boolean due(DeviceControl control) {
        if (control.intent.inFlight()) {
            return false;
        }
        if ((control.intent == IntentState.FAILED || control.intent == IntentState.DRIFTED)
                && !control.retryDue(nowMillis)) {
            return false;
        }
        return nowMillis - control.curtailedAtMillis >= settings.minCurtailed().toMillis()
                && nowMillis - control.lastCommandAtMillis
                        >= settings.minCommandInterval().toMillis();
    }

    /** The node whose breaker feeds the device's rack: its circuit, else its PDU. */
    private int circuitOf(int node) {
        int rack = model.parent(node);
        return rack > 0 ? model.parent(rack) : rack;
    }

    /** What the device is counted at once restored: what it drew before, else its nameplate. */
    private double restoreKw(int node, DeviceControl control) {
        if (!Double.isNaN(control.beforeKw)) {
            return control.beforeKw;
        }
        if (!Double.isNaN(facts.nameplateKw[node])) {
            return facts.nameplateKw[node];
        }
        return loads.node[node];
    }

    /** True when every limit above the device stays under its restore line with {@code deltaKw} more. */
    private boolean fits(int node, double deltaKw, double[] zoneBudget) {
        double line = settings.restoreLine();
        for (int i = model.parent(node); i >= 0; i = model.parent(i)) {
            double limit = Double.isNaN(holdKw[i]) ? model.limitKw(i) : Math.min(model.limitKw(i), holdKw[i]);
            if (!Double.isNaN(limit) && loads.node[i] + deltaKw > limit * line) {
                return false;
            }
        }
        int zone = loads.zoneOf[node];
        return zone < 0 || loads.zone[zone] + deltaKw <= zoneBudget[zone] * line;
    }

    private @Nullable Action action(int node, DeviceControl control, double backKw) {
        Constraint why = new Constraint(
                model.id(0), model.kind(0).wireName(), ConstraintKind.INTERCONNECT, loads.node[0], model.limitKw(0));
        String efficiency = Double.isNaN(control.knownEfficiencyJth)
                ? ""
                : String.format(Locale.ROOT, " (%.1f J/TH)", control.knownEfficiencyJth);
        switch (control.curtailment) {
            case OUTLET_OFF -> {
                SiteDevice device = model.device(node);
                String pdu = facts.outletPdu[node];
                if (pdu == null
                        || !facts.canOutletOn[node]
                        || device == null
                        || device.outlet().isEmpty()) {
                    return null;
                }
                return new Action(
                        node,
                        control.deviceId,
                        ActionKind.OUTLET_ON,
                        Action.verb(ActionKind.OUTLET_ON, null),
                        Double.NaN,
                        pdu,
                        device.outlet().get(),
                        backKw,
                        why,
                        null,
                        "restore" + efficiency + ": outlet " + device.outlet().get() + " on " + pdu + " back on",
                        true);
            }
            case ASLEEP -> {
                if (!facts.canWake[node]) {
                    return null;
                }
                double expected = Double.isNaN(control.cappedW) ? backKw : Math.min(backKw, control.cappedW / 1000);
                return new Action(
                        node,
                        control.deviceId,
                        ActionKind.WAKE,
                        Action.verb(ActionKind.WAKE, null),
                        Double.NaN,
                        control.deviceId,
                        "",
                        expected,
                        why,
                        null,
                        "restore" + efficiency + ": woken",
                        true);
            }
            case CAPPED -> {
                if (!facts.canTarget(node)) {
                    return null;
                }
                double targetW = Double.isNaN(control.beforeTargetW)
                        ? Math.min(facts.maxTargetW[node], Math.max(facts.minTargetW[node], backKw * 1000))
                        : control.beforeTargetW;
                targetW = Math.min(facts.maxTargetW[node], Math.max(facts.minTargetW[node], targetW));
                return new Action(
                        node,
                        control.deviceId,
                        ActionKind.SET_POWER_TARGET,
                        Action.verb(ActionKind.SET_POWER_TARGET, facts.targetVerb[node]),
                        targetW,
                        control.deviceId,
                        "",
                        Math.max(backKw, targetW / 1000),
                        why,
                        null,
                        "restore" + efficiency + ": power target back to " + Math.round(targetW) + " W",
                        true);
            }
            default -> {
                return null;
            }
        }
    }
}
