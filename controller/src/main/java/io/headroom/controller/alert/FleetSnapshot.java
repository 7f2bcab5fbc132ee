package io.headroom.controller.alert;

import io.headroom.controller.grid.ActiveTarget;
import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.PowerTruth;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteNodeKind;
import io.headroom.controller.site.SiteSnapshot;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.Quality;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the alert conditions and their gauges are computed from, read once per evaluation from the
 * state store, the site model's power truth and the grid-event book. Grouped by rack, agent and
 * node so that the gauges stay bounded at 100,000 devices; the per-device lists hold only the
 * devices a condition is true for.
 *
 * @param at when it was read
 * @param rackDevices devices by rack id ({@link #NO_RACK} for those outside the site model) and status
 * @param rackHottestC the hottest good chip temperature of a live device per rack, in °C
 * @param agentDevices devices by reporting agent and status
 * @param hot live devices whose hottest chip is at or above the threshold the snapshot was taken with
 * @param offline ids of OFFLINE devices
 * @param nodes load and limit of every node above the devices (site, feeds, PDUs, circuits, racks)
 * @param grid the grid event in force and the site's load against it, or null
 */
public record FleetSnapshot(
        Instant at,
        Map<String, Map<DeviceState, Integer>> rackDevices,
        Map<String, Double> rackHottestC,
        Map<String, Map<DeviceState, Integer>> agentDevices,
        List<DeviceHeat> hot,
        List<String> offline,
        List<NodeLoad> nodes,
        @Nullable GridTarget grid) {

    /** The rack label of devices the site model does not place (or when there is none). */
    public static final String NO_RACK = "none";

    public FleetSnapshot {
        rackDevices = Map.copyOf(rackDevices);
        rackHottestC = Map.copyOf(rackHottestC);
        agentDevices = Map.copyOf(agentDevices);
        hot = List.copyOf(hot);
        offline = List.copyOf(offline);
        nodes = List.copyOf(nodes);
    }

    /** A device at or above the hot threshold. */
    public record DeviceHeat(String deviceId, String rack, double chipC) {}

    /** One node's load against its limit; {@code limitKw} is NaN when it has none. */
    public record NodeLoad(String node, String kind, double loadKw, double limitKw) {}

    /** The grid event in force: its limit now and the site's load. */
    public record GridTarget(String eventId, double targetKw, double siteLoadKw) {}

    /**
     * Reads the fleet.
     *
     * @param racks device id to rack id, from {@link #racksOf}
     * @param hotC the hot threshold
     */
    public static FleetSnapshot take(
            StateStore store,
            @Nullable SiteModel model,
            Map<String, String> racks,
            @Nullable GridEventBook book,
            double hotC,
            Instant now) {
        Map<String, Map<DeviceState, Integer>> byRack = new TreeMap<>();
        Map<String, Double> hottest = new TreeMap<>();
        Map<String, Map<DeviceState, Integer>> byAgent = new TreeMap<>();
        List<DeviceHeat> hot = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        // The live records, not views: at 100,000 devices a view of each is some 200 MB alive for the whole pass
        // (D64). Each device's status and hottest chip are read under its own lock, as a view would copy them.
        for (DeviceRecord device : store.records()) {
            DeviceState status = device.status();
            String rack = racks.getOrDefault(device.id(), NO_RACK);
            count(byRack, rack, status);
            count(byAgent, device.agent(), status);
            if (status == DeviceState.OFFLINE) {
                offline.add(device.id());
            }
            boolean live = status == DeviceState.ONLINE || status == DeviceState.DEGRADED;
            double chip = device.hottestChipC();
            if (live && !Double.isNaN(chip)) {
                hottest.merge(rack, chip, Math::max);
                if (chip >= hotC) {
                    hot.add(new DeviceHeat(device.id(), rack, chip));
                }
            }
        }
        List<NodeLoad> nodes = new ArrayList<>();
        GridTarget grid = null;
        if (model != null) {
            SiteSnapshot power = PowerTruth.compute(model, DeviceLookup.of(store), now);
            for (int node = 0; node < model.size(); node++) {
                SiteNodeKind kind = model.kind(node);
                if (kind == SiteNodeKind.DEVICE || kind == SiteNodeKind.ZONE) {
                    continue;
                }
                double load = power.loadKw(node);
                if (Double.isFinite(load)) {
                    nodes.add(new NodeLoad(model.id(node), kind.wireName(), load, model.limitKw(node)));
                }
            }
            if (book != null) {
                ActiveTarget target = book.activeTarget(now).orElse(null);
                if (target != null && Double.isFinite(power.loadKw(0))) {
                    grid = new GridTarget(target.eventId(), target.targetKw(), power.loadKw(0));
                }
            }
        }
        return new FleetSnapshot(now, byRack, hottest, byAgent, hot, offline, nodes, grid);
    }

    /** Device id to the id of the rack above it in {@code model}. */
    public static Map<String, String> racksOf(@Nullable SiteModel model) {
        Map<String, String> racks = new java.util.HashMap<>();
        if (model == null) {
            return racks;
        }
        for (int node = 0; node < model.size(); node++) {
            if (model.kind(node) != SiteNodeKind.DEVICE) {
                continue;
            }
            for (int up = model.parent(node); up >= 0; up = model.parent(up)) {
                if (model.kind(up) == SiteNodeKind.RACK) {
                    racks.put(model.id(node), model.id(up));
                    break;
                }
            }
        }
        return racks;
    }

    /** The hottest chip reading not marked BAD, or NaN. */
    public static double hottestChip(DeviceView device) {
        double hottest = Double.NaN;
        for (Map.Entry<String, MetricReading> metric : device.metrics().entrySet()) {
            String key = metric.getKey();
            if (!key.startsWith(MetricDictionary.TEMPERATURE_CHIP)) {
                continue;
            }
            if (key.length() > MetricDictionary.TEMPERATURE_CHIP.length()
                    && key.charAt(MetricDictionary.TEMPERATURE_CHIP.length()) != '[') {
                continue;
            }
            MetricReading reading = metric.getValue();
            if (reading.quality() == Quality.QUALITY_BAD) {
                continue;
            }
            hottest = Double.isNaN(hottest) ? reading.value() : Math.max(hottest, reading.value());
        }
        return hottest;
    }

    private static void count(Map<String, Map<DeviceState, Integer>> groups, String key, DeviceState state) {
        groups.computeIfAbsent(key, k -> new EnumMap<>(DeviceState.class)).merge(state, 1, Integer::sum);
    }
}
