package io.headroom.controller.engine;

import io.headroom.controller.site.SiteModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the engine remembers between ticks: per device its {@link DeviceControl}, and the site-wide
 * pacing of sheds and restores. The engine loop owns it; the journal rebuilds it after a restart.
 * Not thread-safe: one tick at a time.
 */
public final class EngineState {

    final SiteModel model;
    /** By node index; null for nodes that are not devices. */
    final @Nullable DeviceControl[] controls;

    private final Map<String, DeviceControl> byDevice = new HashMap<>();
    /** The open command of each device, by command id (outlet commands go to the PDU, not the device). */
    private final Map<String, DeviceControl> byCommand = new HashMap<>();
    /** By node index (circuits and PDUs): when the last restore batch there began. */
    final long[] lastRestoreAtMillis;

    /** Devices whose curtailment ended since the loop last looked: the journal forgets them. */
    final List<String> released = new ArrayList<>();

    long lastShedAtMillis = DeviceControl.NEVER;
    /** Since when every node has been under its restore line; NEVER while one is not. */
    long belowSinceMillis = DeviceControl.NEVER;
    /**
     * No restore before this time: after a restart, until the devices the journal names have been read
     * back (a restore could contradict what was sent before the crash; a shed never does).
     */
    long holdUntilMillis = DeviceControl.NEVER;

    public EngineState(SiteModel model) {
        this.model = Objects.requireNonNull(model, "model");
        int n = model.size();
        this.controls = new DeviceControl[n];
        this.lastRestoreAtMillis = new long[n];
        java.util.Arrays.fill(lastRestoreAtMillis, DeviceControl.NEVER);
        for (int node = 0; node < n; node++) {
            var device = model.device(node);
            if (device != null) {
                DeviceControl control = new DeviceControl(node, device.id());
                controls[node] = control;
                byDevice.put(device.id(), control);
            }
        }
    }

    /**
     * The state carried over to a new site model (site.yaml changed: a limit lowered, a rack added):
     * every device the new model still has keeps its control; pacing starts over.
     */
    public EngineState migrate(SiteModel newModel) {
        EngineState next = new EngineState(newModel);
        for (int node = 0; node < newModel.size(); node++) {
            DeviceControl fresh = next.controls[node];
            DeviceControl old = fresh == null ? null : byDevice.get(fresh.deviceId);
            if (fresh != null && old != null) {
                DeviceControl moved = old.movedTo(node);
                next.controls[node] = moved;
                next.byDevice.put(moved.deviceId, moved);
                if (moved.commandId != null) {
                    next.byCommand.put(moved.commandId, moved);
                }
            }
        }
        next.lastShedAtMillis = lastShedAtMillis;
        next.holdUntilMillis = holdUntilMillis;
        return next;
    }

    public SiteModel model() {
        return model;
    }

    /** The device's control, or null for a device the site model does not have. */
    public @Nullable DeviceControl control(String deviceId) {
        return byDevice.get(deviceId);
    }

    /** Every device the engine holds curtailed now. */
    public List<DeviceControl> curtailed() {
        List<DeviceControl> list = new ArrayList<>();
        for (DeviceControl control : controls) {
            if (control != null && control.curtailed()) {
                list.add(control);
            }
        }
        return list;
    }

    /** True while a device is curtailed for the given event (or any event when {@code eventId} is null). */
    public boolean anyCurtailedFor(@Nullable String eventId) {
        for (DeviceControl control : controls) {
            if (control != null
                    && control.curtailed()
                    && control.eventId != null
                    && (eventId == null || eventId.equals(control.eventId))) {
                return true;
            }
        }
        return false;
    }

    /** True while a device is curtailed for a grid event (not for a reservation). */
    public boolean anyCurtailedForGridEvent() {
        for (DeviceControl control : controls) {
            if (control != null
                    && control.curtailed()
                    && control.eventId != null
                    && !control.eventId.startsWith(io.headroom.controller.reservation.ReservationBook.ID_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    /** The devices released since the last call, then forgets them. */
    public List<String> drainReleased() {
        List<String> list = List.copyOf(released);
        released.clear();
        return list;
    }

    /** Restores nothing before {@code untilMillis}: used after a restart until telemetry is read back. */
    public void holdUntil(long untilMillis) {
        holdUntilMillis = untilMillis;
    }

    /**
     * A command result, as the command service reported it. Results for a command that is no longer
     * the device's latest are ignored: a newer intent has replaced it.
     *
     * @param outcome {@code accepted}, {@code applied}, a failure the agent or device answered
     *     ({@code failed}, {@code rejected}), or {@code expired} (no answer)
     */
    public void commandResult(String commandId, CommandOutcome outcome, String reason) {
        DeviceControl control = byCommand.get(commandId);
        if (control == null || !commandId.equals(control.commandId)) {
            return;
        }
        switch (outcome) {
            case ACCEPTED, APPLIED -> {
                if (control.intent == IntentState.PENDING || control.intent == IntentState.DISPATCHED) {
                    control.intent = IntentState.ACKED;
                }
            }
            case FAILED, EXPIRED -> {
                if (control.intent != IntentState.CONFIRMED) {
                    control.intent = IntentState.FAILED;
                    control.lastReason = reason;
                    control.refusedByAnswer = outcome == CommandOutcome.FAILED;
                }
            }
        }
    }

    /** The command service sent the action's command. */
    public void dispatched(Action action, String commandId, long version) {
        DeviceControl control = Objects.requireNonNull(controls[action.node()], "not a device node");
        if (control.commandId != null) {
            byCommand.remove(control.commandId);
        }
        control.commandId = commandId;
        control.commandVersion = version;
        byCommand.put(commandId, control);
        if (control.intent == IntentState.PENDING) {
            control.intent = IntentState.DISPATCHED;
        }
    }

    /** A command replayed from the journal is the device's open command again. */
    void dispatched(DeviceControl control, String commandId, long version) {
        control.commandId = commandId;
        control.commandVersion = version;
        byCommand.put(commandId, control);
    }

    /** The command service refused the action's command before sending it. */
    public void refused(Action action, String reason) {
        DeviceControl control = Objects.requireNonNull(controls[action.node()], "not a device node");
        control.intent = IntentState.FAILED;
        control.lastReason = reason;
    }

    /** The device of an open command, or null. */
    public @Nullable DeviceControl byCommand(String commandId) {
        return byCommand.get(commandId);
    }

    /** What became of a command, as far as the engine cares. */
    public enum CommandOutcome {
        ACCEPTED,
        APPLIED,
        /** Rejected or failed: the agent or the device answered that it did not do it. */
        FAILED,
        /** Expired: no answer came in time, so the device may never have seen it. */
        EXPIRED
    }
}
