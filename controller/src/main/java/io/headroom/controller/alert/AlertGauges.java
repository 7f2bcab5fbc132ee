package io.headroom.controller.alert;

import io.headroom.controller.store.DeviceState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gauges the shipped Prometheus rules and Grafana dashboard read, set from each evaluation's
 * {@link FleetSnapshot}. Series are per rack, agent and node, never per device, so a 100,000-device
 * site exports thousands of series, not millions; a rack, agent or node that goes away loses its
 * series at the next evaluation. Names as Prometheus shows them (see {@code docs/alerts.md}):
 *
 * <ul>
 *   <li>{@code headroom_rack_devices{rack,status}}
 *   <li>{@code headroom_rack_temperature_max_celsius{rack}}
 *   <li>{@code headroom_agent_devices{agent,status}}
 *   <li>{@code headroom_node_load_kilowatts{node,kind}}, {@code headroom_node_limit_kilowatts{node,kind}}
 *   <li>{@code headroom_grid_target_kilowatts{event}}
 * </ul>
 */
final class AlertGauges {

    private final MultiGauge rackDevices;
    private final MultiGauge rackTemperature;
    private final MultiGauge agentDevices;
    private final MultiGauge nodeLoad;
    private final MultiGauge nodeLimit;
    private final MultiGauge gridTarget;

    AlertGauges(MeterRegistry registry) {
        rackDevices = MultiGauge.builder("headroom.rack.devices")
                .description("Devices per rack of the site model (rack=none: not in it), by status")
                .register(registry);
        rackTemperature = MultiGauge.builder("headroom.rack.temperature.max")
                .description("Hottest chip temperature of an ONLINE or DEGRADED device of the rack")
                .baseUnit("celsius")
                .register(registry);
        agentDevices = MultiGauge.builder("headroom.agent.devices")
                .description("Devices per reporting agent, by status")
                .register(registry);
        nodeLoad = MultiGauge.builder("headroom.node.load")
                .description("Power truth of each node of the site tree above the devices")
                .baseUnit("kilowatts")
                .register(registry);
        nodeLimit = MultiGauge.builder("headroom.node.limit")
                .description("Limit of each node of the site tree that has one")
                .baseUnit("kilowatts")
                .register(registry);
        gridTarget = MultiGauge.builder("headroom.grid.target")
                .description("The site's limit now under the grid event in force (a point on its ramp)")
                .baseUnit("kilowatts")
                .register(registry);
    }

    void set(FleetSnapshot snapshot) {
        rackDevices.register(byStatus(snapshot.rackDevices(), "rack"), true);
        List<MultiGauge.Row<?>> temperatures = new ArrayList<>();
        snapshot.rackHottestC().forEach((rack, c) -> temperatures.add(MultiGauge.Row.of(Tags.of("rack", rack), c)));
        rackTemperature.register(temperatures, true);
        agentDevices.register(byStatus(snapshot.agentDevices(), "agent"), true);
        List<MultiGauge.Row<?>> loads = new ArrayList<>();
        List<MultiGauge.Row<?>> limits = new ArrayList<>();
        for (FleetSnapshot.NodeLoad node : snapshot.nodes()) {
            Tags tags = Tags.of("node", node.node(), "kind", node.kind());
            loads.add(MultiGauge.Row.of(tags, node.loadKw()));
            if (Double.isFinite(node.limitKw())) {
                limits.add(MultiGauge.Row.of(tags, node.limitKw()));
            }
        }
        nodeLoad.register(loads, true);
        nodeLimit.register(limits, true);
        FleetSnapshot.GridTarget grid = snapshot.grid();
        gridTarget.register(
                grid == null
                        ? List.of()
                        : List.of(MultiGauge.Row.of(Tags.of("event", grid.eventId()), grid.targetKw())),
                true);
    }

    /** Every status of every group, zeros included, so that {@code status="OFFLINE"} is 0 rather than absent. */
    private static List<MultiGauge.Row<?>> byStatus(Map<String, Map<DeviceState, Integer>> groups, String label) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        groups.forEach((group, counts) -> {
            for (DeviceState state : DeviceState.values()) {
                rows.add(MultiGauge.Row.of(
                        Tags.of(label, group, "status", state.name()), counts.getOrDefault(state, 0)));
            }
        });
        return rows;
    }
}
