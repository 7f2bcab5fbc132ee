package io.headroom.controller.engine;

import org.jspecify.annotations.Nullable;

/**
 * The engine's memory of one device: how far it curtailed it, its latest command and where that
 * stands, and the times that pace the next one. Mutable; owned by one {@link EngineState} and
 * touched by one thread at a time (the engine loop).
 */
public final class DeviceControl {

    /** Never: a time far enough in the past that every interval has passed. */
    static final long NEVER = Long.MIN_VALUE / 4;

    final int node;
    final String deviceId;

    Curtailment curtailment = Curtailment.NONE;
    /** The power target set while CAPPED, in W. */
    double cappedW = Double.NaN;
    /** The device's own power target before the engine first curtailed it, in W; NaN when unknown. */
    double beforeTargetW = Double.NaN;
    /** The device's efficiency when last seen working, J/TH: a sleeping miner reports no hashrate. */
    double knownEfficiencyJth = Double.NaN;
    /** What the device drew before the engine first curtailed it, in kW: what a restore gives back. */
    double beforeKw = Double.NaN;
    /** When the engine first curtailed it (the current curtailment's start). */
    long curtailedAtMillis = NEVER;
    /** The grid event it was curtailed for, or null for a limit. */
    @Nullable
    String eventId;

    @Nullable
    ActionKind lastAction;
    /** True when the latest command gives power back. */
    boolean restoring;

    IntentState intent = IntentState.NONE;
    /** Expected power once the latest command took effect, in kW. */
    double expectedKw = Double.NaN;

    @Nullable
    String commandId;

    long commandVersion;
    long lastCommandAtMillis = NEVER;
    /** When the latest command was sent (or, for a retry, re-sent). */
    long dispatchedAtMillis = NEVER;

    int attempts;
    long retryAtMillis = NEVER;
    /** Retries are spent: the device counts as unresponsive. */
    boolean unresponsive;

    @Nullable
    String lastReason;
    /**
     * True when the latest command failed by an answer (the agent or the device refused it, D68), not by
     * an expiry or by never being sent.
     */
    boolean refusedByAnswer;

    DeviceControl(int node, String deviceId) {
        this.node = node;
        this.deviceId = deviceId;
    }

    /** A copy of this control at another node index (the site model changed). */
    DeviceControl movedTo(int newNode) {
        DeviceControl copy = new DeviceControl(newNode, deviceId);
        copy.curtailment = curtailment;
        copy.cappedW = cappedW;
        copy.beforeTargetW = beforeTargetW;
        copy.beforeKw = beforeKw;
        copy.curtailedAtMillis = curtailedAtMillis;
        copy.eventId = eventId;
        copy.lastAction = lastAction;
        copy.restoring = restoring;
        copy.intent = intent;
        copy.expectedKw = expectedKw;
        copy.commandId = commandId;
        copy.commandVersion = commandVersion;
        copy.lastCommandAtMillis = lastCommandAtMillis;
        copy.dispatchedAtMillis = dispatchedAtMillis;
        copy.attempts = attempts;
        copy.retryAtMillis = retryAtMillis;
        copy.unresponsive = unresponsive;
        copy.lastReason = lastReason;
        copy.refusedByAnswer = refusedByAnswer;
        copy.knownEfficiencyJth = knownEfficiencyJth;
        return copy;
    }

    /** A restore took effect: the device is the engine's no longer. */
    void restored() {
        attempts = 0;
        unresponsive = false;
        retryAtMillis = NEVER;
        restoring = false;
        if (lastAction == ActionKind.WAKE && !Double.isNaN(cappedW)) {
            // It was capped before it slept: awake again, it still runs at the cap.
            curtailment = Curtailment.CAPPED;
            return;
        }
        curtailment = Curtailment.NONE;
        cappedW = Double.NaN;
        beforeKw = Double.NaN;
        beforeTargetW = Double.NaN;
        curtailedAtMillis = NEVER;
        eventId = null;
    }

    /** A new command for this device: decided now, not yet sent. */
    void command(ActionKind action, boolean restore, double expectedKw, long nowMillis) {
        lastAction = action;
        restoring = restore;
        expectedKw(expectedKw);
        intent = IntentState.PENDING;
        refusedByAnswer = false;
        commandId = null;
        lastCommandAtMillis = nowMillis;
        dispatchedAtMillis = nowMillis;
        retryAtMillis = NEVER;
    }

    private void expectedKw(double kw) {
        this.expectedKw = kw;
    }

    /** True when the latest command failed or drifted, retries are left, and its backoff has passed. */
    boolean retryDue(long nowMillis) {
        return (intent == IntentState.FAILED || intent == IntentState.DRIFTED)
                && !unresponsive
                && retryAtMillis != NEVER
                && nowMillis >= retryAtMillis;
    }

    public String deviceId() {
        return deviceId;
    }

    public Curtailment curtailment() {
        return curtailment;
    }

    public IntentState intent() {
        return intent;
    }

    public @Nullable String commandId() {
        return commandId;
    }

    public @Nullable String eventId() {
        return eventId;
    }

    /** True once retries are spent: a hard limit may then cut its outlet. */
    public boolean unresponsive() {
        return unresponsive;
    }

    public @Nullable ActionKind lastAction() {
        return lastAction;
    }

    public double expectedKw() {
        return expectedKw;
    }

    /** True while the engine holds the device below what it would draw on its own. */
    public boolean curtailed() {
        return curtailment != Curtailment.NONE;
    }
}
