package io.headroom.controller.alert;

import io.headroom.controller.store.DeviceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The conditions of the controller-evaluated rules, as a pure function of one {@link FleetSnapshot}:
 * the same comparisons as {@code dist/prometheus/headroom-rules.yml} with the same thresholds. The
 * Prometheus rules group devices by rack (bounded series); the controller names each device.
 */
final class AlertConditions {

    private AlertConditions() {}

    /**
     * Every condition true in {@code snapshot}.
     *
     * @param journalErrors whether a journal write failed within {@link AlertSettings#journalErrorWindow()}
     */
    static List<Condition> of(FleetSnapshot snapshot, AlertSettings settings, boolean journalErrors) {
        List<Condition> holding = new ArrayList<>();
        for (FleetSnapshot.DeviceHeat heat : snapshot.hot()) {
            if (heat.chipC() >= settings.deviceHotC()) {
                holding.add(new Condition(
                        AlertRule.DEVICE_HOT,
                        heat.deviceId(),
                        String.format(
                                Locale.ROOT,
                                "device %s (rack %s): hottest chip %.1f °C, at or above %s °C",
                                heat.deviceId(),
                                heat.rack(),
                                heat.chipC(),
                                number(settings.deviceHotC()))));
            }
        }
        for (String device : snapshot.offline()) {
            holding.add(new Condition(
                    AlertRule.DEVICE_OFFLINE, device, "device " + device + " is OFFLINE: its agent cannot reach it"));
        }
        for (Map.Entry<String, Map<DeviceState, Integer>> agent :
                snapshot.agentDevices().entrySet()) {
            int stale = agent.getValue().getOrDefault(DeviceState.STALE, 0);
            if (stale > 0) {
                int all = agent.getValue().values().stream()
                        .mapToInt(Integer::intValue)
                        .sum();
                holding.add(new Condition(
                        AlertRule.AGENT_STALE,
                        agent.getKey(),
                        "agent " + agent.getKey() + ": " + stale + " of its " + all
                                + " devices STALE (no fresh data from the agent)"));
            }
        }
        for (FleetSnapshot.NodeLoad node : snapshot.nodes()) {
            if (node.limitKw() > 0 && node.loadKw() / node.limitKw() >= settings.nodeNearLimitRatio()) {
                holding.add(new Condition(
                        AlertRule.NODE_NEAR_LIMIT,
                        node.kind() + ":" + node.node(),
                        String.format(
                                Locale.ROOT,
                                "%s %s at %.1f kW of its %.1f kW limit (%.0f %%, alert at %.0f %%)",
                                node.kind(),
                                node.node(),
                                node.loadKw(),
                                node.limitKw(),
                                node.loadKw() / node.limitKw() * 100,
                                settings.nodeNearLimitRatio() * 100)));
            }
        }
        FleetSnapshot.GridTarget grid = snapshot.grid();
        if (grid != null && grid.siteLoadKw() > grid.targetKw() * settings.gridOffTargetRatio()) {
            holding.add(new Condition(
                    AlertRule.GRID_EVENT_OFF_TARGET,
                    grid.eventId(),
                    String.format(
                            Locale.ROOT,
                            "grid event %s: site at %.1f kW, target %.1f kW (alert above %.0f %% of target)",
                            grid.eventId(),
                            grid.siteLoadKw(),
                            grid.targetKw(),
                            settings.gridOffTargetRatio() * 100)));
        }
        if (journalErrors) {
            holding.add(new Condition(
                    AlertRule.JOURNAL_ERRORS,
                    "journal",
                    "the controller's journal could not be written within the last "
                            + settings.journalErrorWindow().toMinutes()
                            + " min: the control engine sent nothing on those ticks"));
        }
        return holding;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
