package io.headroom.controller.engine;

import io.headroom.controller.site.SiteDevice;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteSnapshot;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Sheds load under one limit. Candidates are the limit's devices the engine may command and whose
 * latest command is settled (confirmed, or failed with its backoff passed) and older than the
 * per-device command interval. They are taken interruptible classes first, then classes that may only
 * be capped (ai-flex: down to their floor, never off, never for a reservation), a must-run class only
 * for a hard limit and only after all of those, never an auxiliary one; then least efficient first (J/TH), or
 * hottest first for a cooling zone. Each takes the softest action that helps: a lower power target
 * when that alone covers what is left to shed, else sleep, else its lowest power target. A device
 * that stopped answering (retries spent) is cut at its PDU outlet, and only when a hard limit is over.
 */
final class Shedder {

    private final EngineSettings settings;
    private final SiteSnapshot power;
    private final DeviceFacts facts;
    private final EngineState state;
    private final Loads loads;
    private final long nowMillis;
    private final SiteModel model;

    Shedder(
            EngineSettings settings,
            SiteSnapshot power,
            DeviceFacts facts,
            EngineState state,
            Loads loads,
            long nowMillis) {
        this.settings = settings;
        this.power = power;
        this.facts = facts;
        this.state = state;
        this.loads = loads;
        this.nowMillis = nowMillis;
        this.model = power.model();
    }

    void shed(Limit limit, Constraint constraint, double excessKw, @Nullable SiteTarget target, List<Action> out) {
        boolean hard = limit.kind.hard();
        String eventId =
                limit.kind == ConstraintKind.GRID_EVENT && target != null ? target.eventId() : limit.reservationId;
        Candidates candidates = new Candidates();
        int from = limit.zone >= 0 ? 0 : limit.node;
        int to = limit.zone >= 0 ? model.size() - 1 : loads.end[limit.node];
        for (int node = from; node <= to; node++) {
            SiteDevice device = model.device(node);
            DeviceControl control = state.controls[node];
            if (control == null
                    || device == null
                    || !ControlEngine.commandable(device)
                    || !loads.contains(limit, node)) {
                continue;
            }
            int rank = Candidates.rank(model, device);
            if (rank == Candidates.NEVER
                    || (rank == Candidates.MUST_RUN && !hard)
                    // A reservation frees miners for AI load; it never caps other AI load for it.
                    || (rank == Candidates.CAP_ONLY && limit.kind == ConstraintKind.RESERVATION)) {
                continue;
            }
            if (!eligible(control) && !sleepsAfterRefusedTarget(control, node, rank)) {
                continue;
            }
            double score = limit.kind == ConstraintKind.THERMAL ? -facts.hottestC[node] : -control.knownEfficiencyJth;
            candidates.add(node, rank, score);
        }
        double remaining = excessKw;
        for (int node : candidates.sorted()) {
            if (remaining <= 0) {
                break;
            }
            remaining -= act(node, remaining, hard, constraint, eventId, out);
        }
    }

    /**
     * Puts the interruptible devices the market struck to sleep (their lowest power target when they
     * cannot sleep), least efficient first, each once: a device curtailed already stays as it is.
     */
    void strike(MarketStrikes strikes, double siteLoadKw, List<Action> out) {
        Candidates candidates = new Candidates();
        for (int node = 0; node < model.size(); node++) {
            SiteDevice device = model.device(node);
            DeviceControl control = state.controls[node];
            if (device == null
                    || control == null
                    || !ControlEngine.commandable(device)
                    || Candidates.rank(model, device) != Candidates.ANY
                    || control.curtailment != Curtailment.NONE
                    || strikes.reason(facts.model[node], device.priorityClass()) == null
                    || !eligible(control)) {
                continue;
            }
            candidates.add(node, 0, -control.knownEfficiencyJth);
        }
        Constraint constraint = new Constraint(
                model.id(0), model.kind(0).wireName(), ConstraintKind.MARKET, siteLoadKw, model.limitKw(0));
        for (int node : candidates.sorted()) {
            SiteDevice device = java.util.Objects.requireNonNull(model.device(node), "a candidate is a device");
            String reason = "market: " + strikes.reason(facts.model[node], device.priorityClass());
            if (facts.canSleep[node]) {
                sleep(node, constraint, null, reason + "; put to sleep", out);
            } else if (facts.canTarget(node) && facts.minTargetW[node] / 1000 < loads.node[node]) {
                decide(
                        node,
                        ActionKind.SET_POWER_TARGET,
                        facts.minTargetW[node],
                        state.controls[node].deviceId,
                        "",
                        facts.minTargetW[node] / 1000,
                        constraint,
                        null,
                        reason + "; power target lowered to " + Math.round(facts.minTargetW[node]) + " W",
                        out);
            }
        }
    }

    private boolean eligible(DeviceControl control) {
        if (control.intent.inFlight()) {
            return false;
        }
        boolean retry = control.retryDue(nowMillis);
        if ((control.intent == IntentState.FAILED || control.intent == IntentState.DRIFTED)
                && !retry
                && !control.unresponsive) {
            return false;
        }
        if (control.curtailment == Curtailment.OUTLET_OFF) {
            return retry;
        }
        if (control.unresponsive) {
            return true;
        }
        if (control.curtailment == Curtailment.ASLEEP && !retry) {
            return false;
        }
        return retry
                || nowMillis - control.lastCommandAtMillis
                        >= settings.minCommandInterval().toMillis();
    }

    /**
     * An interruptible device that refused a lower power target and can sleep is put to sleep at the next
     * tick, not after the failed command's backoff nor the command interval (D68): a target can be refused
     * for its value alone (Vnish takes only its autotune presets, D42: FAILED {@code not-a-preset}, nothing
     * sent), and while such a device waits, the shed passes to the next candidate, up to must-run load under
     * a hard limit. The interval keeps a device from being flipped between curtailed and restored; going from
     * a refused target to sleep is one step further the same way. Cap-only and must-run load keep the retry
     * with backoff: a failed cap of AI load is tried again, not turned into sleep at once.
     */
    private boolean sleepsAfterRefusedTarget(DeviceControl control, int node, int rank) {
        return rank == Candidates.ANY && facts.canSleep[node] && refusedTarget(control);
    }

    /**
     * The device's latest command, a shed's power target, was refused by an answer (FAILED or REJECTED:
     * not an expiry, which the device may never have seen, nor a command never sent), and it still answers.
     */
    private static boolean refusedTarget(DeviceControl control) {
        return control.intent == IntentState.FAILED
                && control.refusedByAnswer
                && control.lastAction == ActionKind.SET_POWER_TARGET
                && !control.restoring
                && !control.unresponsive;
    }

    /** Decides the device's action; returns the kW it saves. */
    private double act(
            int node,
            double remainingKw,
            boolean hard,
            Constraint constraint,
            @Nullable String eventId,
            List<Action> out) {
        DeviceControl control = state.controls[node];
        double counted = loads.node[node];
        String deviceId = control.deviceId;
        SiteDevice site = model.device(node);
        boolean capOnly = site != null && Candidates.rank(model, site) == Candidates.CAP_ONLY;
        if (capOnly && (control.unresponsive || control.curtailment == Curtailment.OUTLET_OFF)) {
            // Capped AI load is never switched off, not even when it stops answering.
            return 0;
        }
        if (control.unresponsive || control.curtailment == Curtailment.OUTLET_OFF) {
            String pdu = facts.outletPdu[node];
            SiteDevice device = model.device(node);
            if (!hard || pdu == null || device == null || device.outlet().isEmpty()) {
                return 0;
            }
            String reason = "no answer after " + (settings.maxRetries() + 1) + " tries (" + control.lastReason
                    + ") while " + describe(constraint) + ": its outlet "
                    + device.outlet().get() + " on " + pdu + " is cut";
            return decide(
                    node,
                    ActionKind.OUTLET_OFF,
                    Double.NaN,
                    pdu,
                    device.outlet().get(),
                    0,
                    constraint,
                    eventId,
                    reason,
                    out);
        }
        boolean canTarget = facts.canTarget(node);
        boolean canSleep = facts.canSleep[node] && !capOnly;
        String efficiency = Double.isNaN(control.knownEfficiencyJth)
                ? "efficiency unknown"
                : String.format(java.util.Locale.ROOT, "%.1f J/TH", control.knownEfficiencyJth);
        if (control.curtailment == Curtailment.ASLEEP) {
            // A retry: it woke up (or never slept).
            return sleep(node, constraint, eventId, "again: " + control.lastReason + "; " + describe(constraint), out);
        }
        if (site != null && sleepsAfterRefusedTarget(control, node, Candidates.rank(model, site))) {
            return sleep(
                    node,
                    constraint,
                    eventId,
                    describe(constraint) + "; power target of " + Math.round(control.cappedW) + " W refused ("
                            + control.lastReason + "), put to sleep",
                    out);
        }
        if (canTarget) {
            double floorW = facts.minTargetW[node];
            if (capOnly && site != null) {
                double classFloorW = Candidates.floorW(model, site, facts.nameplateKw[node]);
                if (!Double.isNaN(classFloorW) && classFloorW > floorW) {
                    // Up to the capability's step, so the floor itself is never undercut.
                    double step = facts.stepW[node] > 0 ? facts.stepW[node] : 1;
                    floorW = facts.minTargetW[node] + Math.ceil((classFloorW - facts.minTargetW[node]) / step) * step;
                }
            }
            double wantW = Math.max(floorW, roundDown((counted - remainingKw) * 1000, floorW, facts.stepW[node]));
            double alreadyW = control.curtailment == Curtailment.CAPPED ? control.cappedW : Double.POSITIVE_INFINITY;
            boolean retryCap = control.retryDue(nowMillis) && control.lastAction == ActionKind.SET_POWER_TARGET;
            boolean covers = counted - wantW / 1000 >= remainingKw;
            if (wantW < alreadyW && wantW / 1000 < counted && (covers || !canSleep)) {
                return decide(
                        node,
                        ActionKind.SET_POWER_TARGET,
                        wantW,
                        deviceId,
                        "",
                        wantW / 1000,
                        constraint,
                        eventId,
                        describe(constraint) + "; " + efficiency + ", power target lowered to " + Math.round(wantW)
                                + " W",
                        out);
            }
            if (retryCap && !canSleep) {
                return decide(
                        node,
                        ActionKind.SET_POWER_TARGET,
                        control.cappedW,
                        deviceId,
                        "",
                        control.cappedW / 1000,
                        constraint,
                        eventId,
                        "again: " + control.lastReason,
                        out);
            }
        }
        if (canSleep) {
            return sleep(node, constraint, eventId, describe(constraint) + "; " + efficiency + ", put to sleep", out);
        }
        return 0;
    }

    /** Puts the device to sleep; returns the kW it saves. */
    private double sleep(int node, Constraint constraint, @Nullable String eventId, String reason, List<Action> out) {
        return decide(
                node,
                ActionKind.SLEEP,
                Double.NaN,
                state.controls[node].deviceId,
                "",
                facts.sleepKw(node),
                constraint,
                eventId,
                reason,
                out);
    }

    private double decide(
            int node,
            ActionKind kind,
            double valueW,
            String targetDevice,
            String instance,
            double expectedKw,
            Constraint constraint,
            @Nullable String eventId,
            String reason,
            List<Action> out) {
        DeviceControl control = state.controls[node];
        double counted = loads.node[node];
        if (control.curtailment == Curtailment.NONE) {
            control.beforeKw = Math.max(counted, power.loadKw(node));
            control.beforeTargetW = facts.powerTargetW[node];
            control.curtailedAtMillis = nowMillis;
        }
        if (control.eventId == null) {
            control.eventId = eventId;
        }
        control.curtailment = switch (kind) {
            case SET_POWER_TARGET -> Curtailment.CAPPED;
            case SLEEP -> Curtailment.ASLEEP;
            case OUTLET_OFF -> Curtailment.OUTLET_OFF;
            default -> control.curtailment;
        };
        if (kind == ActionKind.SET_POWER_TARGET) {
            control.cappedW = valueW;
        }
        control.command(kind, false, expectedKw, nowMillis);
        double saved = Math.max(0, counted - expectedKw);
        loads.add(node, expectedKw - counted);
        out.add(new Action(
                node,
                control.deviceId,
                kind,
                Action.verb(kind, facts.targetVerb[node]),
                valueW,
                targetDevice,
                instance,
                expectedKw,
                constraint,
                eventId,
                reason,
                false));
        return saved;
    }

    /** Rounds a power target down to the capability's step above its minimum: it saves at least what was asked. */
    static double roundDown(double watts, double minW, double stepW) {
        if (!(stepW > 0)) {
            return Math.floor(watts);
        }
        // No epsilon: a float error downward costs one step more shed, never one too few.
        return minW + Math.floor((watts - minW) / stepW) * stepW;
    }

    static String describe(Constraint constraint) {
        return String.format(
                java.util.Locale.ROOT,
                "%s %s at %.1f kW over its %s limit of %.1f kW less margin",
                constraint.nodeKind(),
                constraint.nodeId(),
                constraint.loadKw(),
                constraint.kind().wireName(),
                constraint.limitKw());
    }
}
