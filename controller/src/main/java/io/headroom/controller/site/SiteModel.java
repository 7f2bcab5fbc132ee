package io.headroom.controller.site;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A validated site: the tree from the site root down to every device, flattened into arrays in
 * pre-order (a node's children come after it, so one backward pass sums every node), with each
 * node's limit resolved and each meter looked up once per tick. Immutable; built by
 * {@link SiteLoader}.
 */
public final class SiteModel {

    private final SiteFile file;
    private final Map<String, PriorityClass> classes;
    private final String[] ids;
    private final SiteNodeKind[] kinds;
    private final int[] parents;
    private final int[][] children;
    private final double[] limitsKw;
    /** Per node: index into {@link #meterDevices} of its meter, or -1. */
    private final int[] nodeMeters;
    /** Per node: the device entry for DEVICE nodes, else null. */
    private final @Nullable SiteDevice[] devices;
    /** Per node: index into {@link #meterDevices} of the PDU metering its outlet, or -1. */
    private final int[] outletMeters;
    /** Per node: {@code power[<outlet>]} for devices with an outlet, else null. */
    private final @Nullable String[] outletKeys;

    private final String[] meterDevices;
    private final List<CoolingZone> zones;
    private final int[][] zoneRacks;
    private final Map<String, Integer> byId;

    private SiteModel(Builder b) {
        this.file = b.file;
        this.classes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.classes));
        int n = b.ids.size();
        this.ids = b.ids.toArray(new String[0]);
        this.kinds = b.kinds.toArray(new SiteNodeKind[0]);
        this.parents = b.parents.stream().mapToInt(Integer::intValue).toArray();
        this.limitsKw = b.limits.stream().mapToDouble(Double::doubleValue).toArray();
        this.nodeMeters = b.nodeMeters.stream().mapToInt(Integer::intValue).toArray();
        this.outletMeters = b.outletMeters.stream().mapToInt(Integer::intValue).toArray();
        this.devices = b.devices.toArray(new SiteDevice[0]);
        this.outletKeys = b.outletKeys.toArray(new String[0]);
        this.meterDevices = b.meterDevices.toArray(new String[0]);
        List<List<Integer>> kids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            kids.add(new ArrayList<>());
        }
        for (int i = 1; i < n; i++) {
            kids.get(parents[i]).add(i);
        }
        this.children = new int[n][];
        for (int i = 0; i < n; i++) {
            children[i] = kids.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            // Device ids and node ids are separate name spaces; the map serves node lookups first.
            index.putIfAbsent(kinds[i].wireName() + ":" + ids[i], i);
        }
        this.byId = index;
        this.zones = List.copyOf(b.zones);
        this.zoneRacks = new int[zones.size()][];
        for (int z = 0; z < zones.size(); z++) {
            zoneRacks[z] = zones.get(z).racks().stream()
                    .mapToInt(rack -> Objects.requireNonNull(index.get("rack:" + rack), rack))
                    .toArray();
        }
    }

    private SiteModel(SiteModel base, double[] limitsKw) {
        this.file = base.file;
        this.classes = base.classes;
        this.ids = base.ids;
        this.kinds = base.kinds;
        this.parents = base.parents;
        this.children = base.children;
        this.limitsKw = limitsKw;
        this.nodeMeters = base.nodeMeters;
        this.devices = base.devices;
        this.outletMeters = base.outletMeters;
        this.outletKeys = base.outletKeys;
        this.meterDevices = base.meterDevices;
        this.zones = base.zones;
        this.zoneRacks = base.zoneRacks;
        this.byId = base.byId;
    }

    /**
     * This model with one node's limit replaced: what a dry run of a limit change evaluates (a breaker
     * derated, the interconnect lowered). Everything else is shared, not copied.
     *
     * @throws IllegalArgumentException for a device node or a limit that is not positive and finite
     */
    public SiteModel withLimit(int node, double limitKw) {
        if (kinds[node] == SiteNodeKind.DEVICE) {
            throw new IllegalArgumentException("a device has no limit of its own: " + ids[node]);
        }
        if (!(limitKw > 0) || Double.isInfinite(limitKw)) {
            throw new IllegalArgumentException("limit_kw: must be a positive number, got " + limitKw);
        }
        double[] limits = limitsKw.clone();
        limits[node] = limitKw;
        return new SiteModel(this, limits);
    }

    /** The file as written. */
    public SiteFile file() {
        return file;
    }

    /** Every priority class, the two built-in ones included. */
    public Map<String, PriorityClass> classes() {
        return classes;
    }

    public Duration staleAfter() {
        return file.staleAfter();
    }

    /** Number of nodes, devices included; node 0 is the site. */
    public int size() {
        return ids.length;
    }

    public String id(int node) {
        return ids[node];
    }

    public SiteNodeKind kind(int node) {
        return kinds[node];
    }

    /** The parent's index; -1 for the site. */
    public int parent(int node) {
        return parents[node];
    }

    /** Child indices in file order; do not modify. */
    int[] childrenOf(int node) {
        return children[node];
    }

    public List<Integer> children(int node) {
        return Arrays.stream(children[node]).boxed().toList();
    }

    /** The node's limit in kW, or NaN when it has none (devices, racks without one). */
    public double limitKw(int node) {
        return limitsKw[node];
    }

    /** The device entry of a DEVICE node. */
    public @Nullable SiteDevice device(int node) {
        return devices[node];
    }

    int nodeMeter(int node) {
        return nodeMeters[node];
    }

    int outletMeter(int node) {
        return outletMeters[node];
    }

    @Nullable
    String outletKey(int node) {
        return outletKeys[node];
    }

    /** Distinct meter device ids, each looked up once per tick. */
    int meterCount() {
        return meterDevices.length;
    }

    String meterDevice(int meter) {
        return meterDevices[meter];
    }

    /** The PDU whose outlet feeds a device node (its outlet is the device's {@code outlet}), or null. */
    public @Nullable String outletDevice(int node) {
        return outletMeters[node] < 0 ? null : meterDevices[outletMeters[node]];
    }

    /** The meter of a node (site, feed, PDU, circuit), or null. */
    public @Nullable String meterOf(int node) {
        return nodeMeters[node] < 0 ? null : meterDevices[nodeMeters[node]];
    }

    public List<CoolingZone> zones() {
        return zones;
    }

    /** Node indices of a zone's racks, resolved once when the model was built; do not modify. */
    public int[] zoneRacks(int zone) {
        return zoneRacks[zone];
    }

    /** The index of a node by kind and id, or -1. */
    public int indexOf(SiteNodeKind kind, String id) {
        Integer index = byId.get(kind.wireName() + ":" + id);
        return index == null ? -1 : index;
    }

    /** Collects nodes in pre-order; the loader adds every node right after its parent's subtree began. */
    static final class Builder {
        private final SiteFile file;
        private final Map<String, PriorityClass> classes;
        private final List<String> ids = new ArrayList<>();
        private final List<SiteNodeKind> kinds = new ArrayList<>();
        private final List<Integer> parents = new ArrayList<>();
        private final List<Double> limits = new ArrayList<>();
        private final List<Integer> nodeMeters = new ArrayList<>();
        private final List<Integer> outletMeters = new ArrayList<>();
        private final List<@Nullable SiteDevice> devices = new ArrayList<>();
        private final List<@Nullable String> outletKeys = new ArrayList<>();
        private final List<String> meterDevices = new ArrayList<>();
        private final Map<String, Integer> meterIndex = new java.util.HashMap<>();
        private final List<CoolingZone> zones = new ArrayList<>();

        Builder(SiteFile file, Map<String, PriorityClass> classes) {
            this.file = file;
            this.classes = classes;
        }

        /** Adds a node; returns its index. */
        int node(SiteNodeKind kind, String id, int parent, double limitKw, @Nullable MeterRef meter) {
            ids.add(id);
            kinds.add(kind);
            parents.add(parent);
            limits.add(limitKw);
            nodeMeters.add(meter == null ? -1 : meter(meter.device()));
            outletMeters.add(-1);
            devices.add(null);
            outletKeys.add(null);
            return ids.size() - 1;
        }

        /** Adds a device under a rack, metered at {@code outletMeter}'s outlet when both are given. */
        int device(SiteDevice device, int rack, @Nullable String outletMeter, @Nullable String outletKey) {
            int index = node(SiteNodeKind.DEVICE, device.id(), rack, Double.NaN, null);
            devices.set(index, device);
            if (outletMeter != null && outletKey != null) {
                outletMeters.set(index, meter(outletMeter));
                outletKeys.set(index, outletKey);
            }
            return index;
        }

        void zone(CoolingZone zone) {
            zones.add(zone);
        }

        private int meter(String deviceId) {
            return meterIndex.computeIfAbsent(deviceId, id -> {
                meterDevices.add(id);
                return meterDevices.size() - 1;
            });
        }

        SiteModel build() {
            return new SiteModel(this);
        }
    }
}
