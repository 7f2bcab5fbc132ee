package io.headroom.controller.engine;

import io.headroom.controller.site.CoolingZone;
import io.headroom.controller.site.ReadingState;
import io.headroom.controller.site.SiteDevice;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteNodeKind;
import io.headroom.controller.site.SiteSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The control engine: one {@link #tick} looks at the site's power truth, the devices' facts and the
 * active grid event, settles the outcome of earlier commands, and decides what to shed or restore.
 * A pure function of its arguments: it keeps no state of its own (what it remembers is in the
 * {@link EngineState} it is given), reads no clock and sends nothing, so it runs the same in the
 * controller, in a dry run and in a simulation faster than real time.
 *
 * <p>Each tick, in order:
 * <ol>
 *   <li><b>Settle</b> earlier commands: confirmed when the device's live power is within tolerance of
 *       what was expected, drifted when not within the confirm timeout (or when a confirmed device
 *       climbs back), failed ones scheduled for a retry with backoff, then marked unresponsive.
 *   <li><b>Count</b> each node's load with commands in flight at their expected power.
 *   <li><b>Shed</b> for every limit over its shed line (limit − margin): hard limits first (breakers
 *       from the smallest subtree up, the interconnect, cooling zones), then the grid event, then the
 *       reservations' holds; see {@link Shedder}. Then the market's strikes: struck miners are put to
 *       sleep.
 *   <li><b>Restore</b> when nothing was over, no grid event holds the site, every node stayed below its
 *       restore line (limit − margin − deadband) for the dwell and the cooldown since the last shed
 *       has passed; see {@link Restorer}.
 * </ol>
 */
public final class ControlEngine {

    /** Weight of a new efficiency sample in the running average: about the last ten ticks count. */
    static final double EFFICIENCY_SMOOTHING = 0.1;

    private final EngineSettings settings;

    public ControlEngine(EngineSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public EngineSettings settings() {
        return settings;
    }

    /**
     * One tick.
     *
     * @param power the site's power truth now
     * @param facts the devices' capabilities and readings now
     * @param target the active grid event's target now, or null
     * @param state what the engine remembers; updated in place
     * @param now the tick's time
     */
    public TickResult tick(
            SiteSnapshot power, DeviceFacts facts, @Nullable SiteTarget target, EngineState state, Instant now) {
        return tick(power, facts, target, List.of(), state, now);
    }

    /**
     * One tick with capacity held for reservations.
     *
     * @param holds the reservations' holds now, each kept as a soft limit on its scope after the grid
     *     event's; a hold whose scope the model does not have is ignored (the reservation book reports it)
     */
    public TickResult tick(
            SiteSnapshot power,
            DeviceFacts facts,
            @Nullable SiteTarget target,
            List<CapacityHold> holds,
            EngineState state,
            Instant now) {
        return tick(power, facts, target, holds, MarketStrikes.NONE, state, now);
    }

    /**
     * One tick with reservations' holds and market strikes.
     *
     * @param strikes models and classes the market wants off: their interruptible devices are put to
     *     sleep after every limit has been served, and none of them is restored while struck
     */
    public TickResult tick(
            SiteSnapshot power,
            DeviceFacts facts,
            @Nullable SiteTarget target,
            List<CapacityHold> holds,
            MarketStrikes strikes,
            EngineState state,
            Instant now) {
        Objects.requireNonNull(power, "power");
        Objects.requireNonNull(holds, "holds");
        Objects.requireNonNull(strikes, "strikes");
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(now, "now");
        if (power.model() != state.model) {
            throw new IllegalArgumentException("the power truth and the engine state are for different site models");
        }
        long nowMillis = now.toEpochMilli();
        settle(power, facts, state, nowMillis);
        Loads loads = Loads.count(power, facts, state);
        List<Constraint> over = new ArrayList<>();
        List<Action> actions = new ArrayList<>();
        Shedder shedder = new Shedder(settings, power, facts, state, loads, nowMillis);
        List<Limit> holdLimits = holdLimits(power.model(), loads, facts, holds, settings.shedLine());
        List<Limit> all = limits(power.model(), loads, facts, target);
        reserveUnderGridEvent(all, holdLimits, settings.shedLine());
        all.addAll(holdLimits);
        for (Limit limit : all) {
            double line = limit.limitKw * settings.shedLine();
            double load = loads.of(limit);
            if (load > line) {
                Constraint constraint = limit.constraint(load);
                over.add(constraint);
                shedder.shed(limit, constraint, load - line, target, actions);
            }
        }
        if (!actions.isEmpty()) {
            state.lastShedAtMillis = nowMillis;
        }
        if (!strikes.isEmpty()) {
            // After the limits: a strike is economics, never a reason to skip a breaker's own shedding.
            shedder.strike(strikes, loads.node[0], actions);
        }
        String held = over.isEmpty()
                ? new Restorer(settings, power, facts, state, loads, nowMillis, strikes)
                        .restore(limits(power.model(), loads, facts, null), holdLimits, target, actions)
                : "limits over their shed line";
        if (!over.isEmpty()) {
            state.belowSinceMillis = DeviceControl.NEVER;
        }
        return new TickResult(now, actions, over, loads.node[0], held);
    }

    /** Every limit of the site, in the order they are shed for. */
    static List<Limit> limits(SiteModel model, Loads loads, DeviceFacts facts, @Nullable SiteTarget target) {
        List<Limit> limits = new ArrayList<>();
        // Breakers from the smallest subtree (deepest) up, so a circuit sheds its own devices first.
        for (int node = model.size() - 1; node >= 1; node--) {
            if (!Double.isNaN(model.limitKw(node)) && model.kind(node) != SiteNodeKind.DEVICE) {
                limits.add(Limit.node(model, node, ConstraintKind.BREAKER, model.limitKw(node)));
            }
        }
        limits.sort(java.util.Comparator.comparingInt(l -> loads.end[l.node] - l.node));
        limits.add(Limit.node(model, 0, ConstraintKind.INTERCONNECT, model.limitKw(0)));
        List<CoolingZone> zones = model.zones();
        for (int z = 0; z < zones.size(); z++) {
            CoolingZone zone = zones.get(z);
            double inlet = loads.zoneInletC(z, facts);
            double budget = zone.heatRejectionKw() * (Double.isNaN(inlet) ? 1 : zone.derateFactor(inlet));
            limits.add(Limit.zone(z, zone.id(), budget));
        }
        if (target != null) {
            Limit event = Limit.node(model, 0, ConstraintKind.GRID_EVENT, target.targetKw());
            limits.add(event);
        }
        return limits;
    }

    /**
     * The grid event's limit with room kept for the reservations: the target less what they still
     * promise (at the event's shed line), so AI load growing into its capacity keeps the site under it.
     */
    static void reserveUnderGridEvent(List<Limit> limits, List<Limit> holds, double shedLine) {
        if (holds.isEmpty()) {
            return;
        }
        double unused = 0;
        for (Limit hold : holds) {
            unused += hold.unusedKw;
        }
        for (int i = 0; i < limits.size(); i++) {
            Limit limit = limits.get(i);
            if (limit.kind == ConstraintKind.GRID_EVENT && unused > 0) {
                limits.set(i, limit.tightened(Math.max(0, limit.limitKw - unused / shedLine)));
            }
        }
    }

    /**
     * The holds as limits, highest priority first: each scope's limit (its breaker, or a zone's
     * budget) less what its reservation has promised and the reserved load has not yet taken up.
     */
    static List<Limit> holdLimits(
            SiteModel model, Loads loads, DeviceFacts facts, List<CapacityHold> holds, double shedLine) {
        if (holds.isEmpty()) {
            return new ArrayList<>();
        }
        List<CapacityHold> ordered = new ArrayList<>(holds);
        ordered.sort(java.util.Comparator.comparingInt(CapacityHold::priority).reversed());
        List<Limit> limits = new ArrayList<>();
        List<CoolingZone> zones = model.zones();
        for (CapacityHold hold : ordered) {
            if (hold.zone()) {
                for (int z = 0; z < zones.size(); z++) {
                    if (zones.get(z).id().equals(hold.scopeId())) {
                        CoolingZone zone = zones.get(z);
                        double inlet = loads.zoneInletC(z, facts);
                        double budget = zone.heatRejectionKw() * (Double.isNaN(inlet) ? 1 : zone.derateFactor(inlet));
                        double unused = hold.unusedKw(reservedLoadKw(model, loads, z));
                        limits.add(Limit.zoneHold(z, hold, budget - unused / shedLine, unused));
                    }
                }
                continue;
            }
            SiteNodeKind kind = hold.scopeKind();
            int node = kind == null ? -1 : model.indexOf(kind, hold.scopeId());
            if (node < 0 || Double.isNaN(model.limitKw(node))) {
                continue;
            }
            double unused = hold.unusedKw(reservedLoadKw(model, loads, node, loads.end[node]));
            // The hold's shed line is the scope's own less what is still promised: limit × line − unused.
            limits.add(Limit.hold(model, node, hold, Math.max(0, model.limitKw(node) - unused / shedLine), unused));
        }
        return limits;
    }

    /** The load of the scope's devices in must-run classes (the AI load a reservation is for), in kW. */
    static double reservedLoadKw(SiteModel model, Loads loads, int from, int to) {
        double sum = 0;
        for (int node = from; node <= to; node++) {
            SiteDevice device = model.device(node);
            if (device != null && Candidates.reserved(model, device)) {
                sum += loads.node[node];
            }
        }
        return sum;
    }

    private static double reservedLoadKw(SiteModel model, Loads loads, int zone) {
        double sum = 0;
        for (int rack : loads.zoneRacks[zone]) {
            sum += reservedLoadKw(model, loads, rack, loads.end[rack]);
        }
        return sum;
    }

    /**
     * Moves each device's latest command along: confirmed, drifted, failed and due for a retry, or
     * spent (unresponsive).
     */
    private void settle(SiteSnapshot power, DeviceFacts facts, EngineState state, long nowMillis) {
        long confirmMillis = settings.confirmTimeout().toMillis();
        for (DeviceControl control : state.controls) {
            if (control == null) {
                continue;
            }
            int node = control.node;
            double efficiency = facts.efficiencyJth[node];
            if (!Double.isNaN(efficiency)) {
                // Efficiency is a slow property of the machine; one noisy sample must not reorder the fleet.
                control.knownEfficiencyJth = Double.isNaN(control.knownEfficiencyJth)
                        ? efficiency
                        : control.knownEfficiencyJth + EFFICIENCY_SMOOTHING * (efficiency - control.knownEfficiencyJth);
            }
            if (control.intent == IntentState.NONE) {
                continue;
            }
            boolean live = power.reading(node) == ReadingState.LIVE;
            double measured = power.loadKw(node);
            double tolerance = tolerance(facts, node, control.expectedKw);
            boolean restoring = control.restoring;
            boolean fits = live
                    && (restoring
                            ? measured >= control.expectedKw - tolerance
                            : measured <= control.expectedKw + tolerance);
            boolean late = nowMillis - control.dispatchedAtMillis > confirmMillis;
            switch (control.intent) {
                case DISPATCHED, ACKED -> {
                    if (restoring) {
                        // A miner takes a while to boot: once its agent applied the wake, the timeout ends the wait.
                        if (control.intent == IntentState.ACKED && (fits || late)) {
                            control.intent = IntentState.CONFIRMED;
                            control.restored();
                            if (!control.curtailed()) {
                                state.released.add(control.deviceId);
                            }
                        } else if (late) {
                            control.intent = IntentState.DRIFTED;
                            control.lastReason = "no result for the restore within the confirm timeout";
                        }
                    } else if (fits) {
                        control.intent = IntentState.CONFIRMED;
                        control.attempts = 0;
                        control.unresponsive = false;
                    } else if (late) {
                        control.intent = IntentState.DRIFTED;
                        control.lastReason = "telemetry did not show the expected power within the confirm timeout";
                    }
                }
                case CONFIRMED -> {
                    if (!restoring && live && measured > control.expectedKw + tolerance && control.curtailed()) {
                        // Climbed back: rebooted, or someone else raised it.
                        control.intent = IntentState.DRIFTED;
                        control.lastReason = "drew " + Math.round(measured * 1000) + " W, above the expected "
                                + Math.round(control.expectedKw * 1000) + " W";
                    }
                }
                default -> {}
            }
            if ((control.intent == IntentState.FAILED || control.intent == IntentState.DRIFTED)
                    && control.retryAtMillis == DeviceControl.NEVER) {
                control.attempts++;
                if (control.attempts > settings.maxRetries()) {
                    control.unresponsive = true;
                    control.retryAtMillis = nowMillis;
                } else {
                    long backoff = Math.max(1_000, settings.minCommandInterval().toMillis()) << (control.attempts - 1);
                    control.retryAtMillis = nowMillis + backoff;
                }
            }
        }
    }

    /** How far a device may read above (or below) its expected power: a share of its nameplate, at least 50 W. */
    double tolerance(DeviceFacts facts, int node, double expectedKw) {
        double base = Double.isNaN(facts.nameplateKw[node]) ? expectedKw : facts.nameplateKw[node];
        return Math.max(0.05, base * settings.confirmTolerancePercent() / 100);
    }

    /** True when the site model lets the engine command this device at all. */
    static boolean commandable(SiteDevice device) {
        return !device.maintenance() && !device.neverTouch();
    }
}
