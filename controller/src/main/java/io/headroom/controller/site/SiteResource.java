package io.headroom.controller.site;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/v1/site}: the site tree with every node's load, limit, headroom and the source of
 * its load figure, the cooling zones, and the site's current problems. Without a site model it
 * answers 404 with a clear error. Read-only and thread-safe; each request computes a fresh
 * {@link SiteSnapshot}.
 */
public final class SiteResource {

    /** The path this resource answers. */
    public static final String PATH = "/api/v1/site";

    /**
     * A status and a JSON body, for the router to send.
     *
     * @param status HTTP status code
     */
    public record Answer(int status, ObjectNode body) {}

    private final @Nullable SiteModel site;
    private final DeviceLookup devices;
    private final ClaimConflicts conflicts;
    private final Clock clock;
    private volatile java.util.function.Supplier<Map<String, Double>> promised = Map::of;

    /**
     * @param site the model; null when {@code controller.yaml} names none
     * @param devices live device state
     * @param conflicts device ids claimed by two agents, from ingest
     * @param clock the controller's clock
     */
    public SiteResource(@Nullable SiteModel site, DeviceLookup devices, ClaimConflicts conflicts, Clock clock) {
        this.site = site;
        this.devices = Objects.requireNonNull(devices, "devices");
        this.conflicts = Objects.requireNonNull(conflicts, "conflicts");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A resource that answers 404: no site model configured. */
    public static SiteResource unconfigured(Clock clock) {
        return new SiteResource(null, id -> null, ClaimConflicts.none(), clock);
    }

    /** The site model this resource shows; null when none is configured. */
    public @Nullable SiteModel model() {
        return site;
    }

    /** The answer to a GET: the whole tree, every device a leaf. */
    public Answer get(ObjectMapper mapper) {
        return get(mapper, true);
    }

    /**
     * The answer to a GET; without {@code deviceLeaves} each node lists no devices but says how many it
     * has as {@code device_count} (zones too), and the leaves are never built: at 100,000 devices they
     * are nearly all of the tree (the page's site view, and the stream's {@code site} event, show counts).
     */
    public Answer get(ObjectMapper mapper, boolean deviceLeaves) {
        SiteModel model = site;
        if (model == null) {
            ObjectNode error = mapper.createObjectNode();
            error.put("error", "no site model configured; set 'site-model: <path to site.yaml>' in controller.yaml");
            return new Answer(404, error);
        }
        SiteSnapshot snapshot = PowerTruth.compute(model, devices, clock.instant());
        ObjectNode root = Objects.requireNonNull(
                node(mapper, snapshot, 0, new java.util.LinkedHashMap<>(), promised.get(), deviceLeaves));
        root.put("at", snapshot.at().toString());
        ArrayNode zones = root.putArray("zones");
        for (int z = 0; z < model.zones().size(); z++) {
            CoolingZone zone = model.zones().get(z);
            ObjectNode node = zones.addObject();
            node.put("id", zone.id());
            node.put("kind", SiteNodeKind.ZONE.wireName());
            double load = snapshot.zoneLoadKw(z);
            node.put("load_kw", round(load));
            node.put("limit_kw", round(zone.heatRejectionKw()));
            node.put("headroom_kw", round(zone.heatRejectionKw() - load));
            node.put("source", PowerSource.SUM.wireName());
            node.put("inlet_limit_c", zone.inletLimitC());
            Double zonePromised = promised.get().get("zone " + zone.id());
            if (zonePromised != null) {
                node.put("promised_kw", round(zonePromised));
            }
            ArrayNode racks = node.putArray("racks");
            zone.racks().forEach(racks::add);
            node.putArray("children");
            if (!deviceLeaves) {
                node.put("device_count", 0);
            }
        }
        List<SiteProblem> problems = new ArrayList<>(conflicts.current());
        problems.addAll(snapshot.problems());
        ArrayNode list = root.putArray("problems");
        for (SiteProblem problem : problems) {
            list.addObject()
                    .put("code", problem.code())
                    .put("device", problem.device())
                    .put("message", problem.message());
        }
        return new Answer(200, root);
    }

    /**
     * The capacity reservations promise now, by scope ("feed feed-a", "zone z1"): shown on each node
     * as {@code promised_kw}. None until the reservation book is there.
     */
    public void promised(java.util.function.Supplier<Map<String, Double>> byScope) {
        this.promised = Objects.requireNonNull(byScope, "byScope");
    }

    /**
     * One node and its subtree; its devices' loads by priority class go into {@code classSums}
     * (the parent's), and each node above a device shows its own as {@code load_by_class_kw}. Null for
     * a device without {@code deviceLeaves}: its load still counts, its leaf is not built.
     */
    private static @Nullable ObjectNode node(
            ObjectMapper mapper,
            SiteSnapshot snapshot,
            int index,
            Map<String, Double> classSums,
            Map<String, Double> promisedByScope,
            boolean deviceLeaves) {
        SiteModel model = snapshot.model();
        SiteDevice device = model.device(index);
        if (device != null && !deviceLeaves) {
            countClass(snapshot, index, device, classSums);
            return null;
        }
        ObjectNode node = mapper.createObjectNode();
        node.put("id", model.id(index));
        node.put("kind", model.kind(index).wireName());
        node.put("load_kw", round(snapshot.loadKw(index)));
        double limit = model.limitKw(index);
        if (Double.isNaN(limit)) {
            node.putNull("limit_kw");
            node.putNull("headroom_kw");
        } else {
            node.put("limit_kw", round(limit));
            node.put("headroom_kw", round(snapshot.headroomKw(index)));
        }
        node.put("source", snapshot.source(index).wireName());
        if (device != null) {
            node.put("agent", device.agent());
            node.put("class", device.priorityClass());
            node.put("reading", snapshot.reading(index).wireName());
            if (device.maintenance()) {
                node.put("maintenance", true);
            }
            if (device.neverTouch()) {
                node.put("never_touch", true);
            }
        } else if (model.meterOf(index) != null) {
            node.put("meter", model.meterOf(index));
            node.put("reading", snapshot.reading(index).wireName());
        }
        if (device != null) {
            countClass(snapshot, index, device, classSums);
        }
        ArrayNode children = node.putArray("children");
        Map<String, Double> own = new java.util.TreeMap<>();
        int devices = 0;
        for (int child : model.childrenOf(index)) {
            ObjectNode built = node(mapper, snapshot, child, own, promisedByScope, deviceLeaves);
            if (built == null) {
                devices++;
            } else {
                children.add(built);
            }
        }
        if (device == null) {
            ObjectNode byClass = node.putObject("load_by_class_kw");
            own.forEach((name, kw) -> byClass.put(name, round(kw)));
            own.forEach((name, kw) -> classSums.merge(name, kw, Double::sum));
            Double promisedKw = promisedByScope.get(model.kind(index).wireName() + " " + model.id(index));
            if (promisedKw != null) {
                node.put("promised_kw", round(promisedKw));
            }
        }
        if (!deviceLeaves) {
            node.put("device_count", devices);
        }
        return node;
    }

    private static void countClass(SiteSnapshot snapshot, int index, SiteDevice device, Map<String, Double> classSums) {
        double load = snapshot.loadKw(index);
        if (!Double.isNaN(load)) {
            classSums.merge(device.priorityClass(), load, Double::sum);
        }
    }

    /** Watts are what meters resolve; more digits of kW are noise. */
    private static double round(double kw) {
        return Math.round(kw * 1000) / 1000.0;
    }
}
