package io.headroom.simulator.redfish;

import static io.headroom.simulator.redfish.RedfishNodes.ROOT;
import static io.headroom.simulator.redfish.RedfishNodes.collection;
import static io.headroom.simulator.redfish.RedfishNodes.reading;
import static io.headroom.simulator.redfish.RedfishNodes.resource;
import static io.headroom.simulator.redfish.RedfishNodes.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.simulator.gpu.RedfishService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A simulated rack PDU with a Redfish service, in the shapes of DMTF's {@code public-pdu} mockup
 * ({@code PowerEquipment/RackPDUs/1} with {@code Outlets}, {@code Branches} (one per outlet letter),
 * single-phase {@code Mains/AC1} and {@code Metrics}), at {@value #NOMINAL_VOLTS} V.
 *
 * <p>Each outlet feeds a load that a test or the demo sets ({@link #setLoad}); an outlet that is on
 * draws it, one that is off draws nothing, and energy counts what was drawn. {@code POST
 * …/Outlets/{id}/Outlet.PowerControl} with {@code {"PowerState": "On" | "Off" | "PowerCycle"}} really
 * switches the outlet ({@code PowerState} shows the new state at once; DMTF's mockup server answers
 * success and changes nothing); the load's power follows after the settle delay (a server's supplies
 * starting, or their capacitors draining). A cycle leaves the outlet on, its load starting again after
 * the delay. A missing or unknown {@code PowerState} is 400, an unknown outlet 404, a PATCH 405.
 *
 * <p>Thread-safe: the HTTPS server's threads and a test's thread share it under its lock.
 */
public final class SimulatedRedfishPdu implements RedfishService {

    /** The RackPDU id in the paths ({@code PowerEquipment/RackPDUs/1}). */
    public static final String PDU_ID = "1";
    /** Outlet, branch and mains voltage. */
    public static final double NOMINAL_VOLTS = 230;
    /** Mains frequency. */
    static final double FREQUENCY_HZ = 50;

    static final String BASE = ROOT + "/PowerEquipment/RackPDUs/" + PDU_ID;
    static final String ACTION = "Outlet.PowerControl";

    private final Map<String, Outlet> outlets = new LinkedHashMap<>();
    private final Duration settle;
    private Instant now;
    private boolean actionsIgnored;

    /**
     * @param outletIds outlet ids as the PDU names them ({@code A1}, {@code B2}); the first letter is the
     *     branch
     * @param loadWatts the load behind each outlet at the start
     * @param settle how long a switched outlet's power takes to follow (zero: at once)
     * @param start the model's time
     */
    public SimulatedRedfishPdu(List<String> outletIds, double loadWatts, Duration settle, Instant start) {
        if (settle.isNegative() || settle.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("settle: " + settle + " must be 0 to 1 h");
        }
        if (outletIds.isEmpty()) {
            throw new IllegalArgumentException("outletIds: a PDU needs at least one outlet");
        }
        for (String id : outletIds) {
            if (!id.matches("[A-Z][0-9]{1,2}")) {
                throw new IllegalArgumentException("outlet id '" + id + "' must be a letter and a number, e.g. A1");
            }
            // Settled from the start: last switched one settle delay before it.
            if (outlets.put(id, new Outlet(id, requireLoad(loadWatts), start.minus(settle))) != null) {
                throw new IllegalArgumentException("outlet id '" + id + "' listed twice");
            }
        }
        this.settle = settle;
        this.now = Objects.requireNonNull(start, "start");
    }

    /** Eight outlets A1–A4 and B1–B4, each feeding {@code loadWatts}. */
    public static SimulatedRedfishPdu eightOutlets(double loadWatts, Duration settle, Instant start) {
        return new SimulatedRedfishPdu(
                List.of("A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4"), loadWatts, settle, start);
    }

    /** Sets the load behind an outlet (what is plugged in draws this when powered). */
    public synchronized void setLoad(String outletId, double watts) {
        outlet(outletId).load = requireLoad(watts);
    }

    /** True when the outlet is switched on. */
    public synchronized boolean isOn(String outletId) {
        return outlet(outletId).on;
    }

    /** What the outlet draws now, in W. */
    public synchronized double outletPowerWatts(String outletId) {
        return outlet(outletId).power(now, settle);
    }

    /** What the whole PDU draws now, in W. */
    public synchronized double totalPowerWatts() {
        return outlets.values().stream().mapToDouble(o -> o.power(now, settle)).sum();
    }

    /**
     * Quirk: the action is answered 204 and changes nothing, as DMTF's mockup server does; a client
     * that trusts the answer instead of reading the outlet back is wrong.
     */
    public synchronized void setActionsIgnored(boolean ignored) {
        actionsIgnored = ignored;
    }

    /**
     * Makes an outlet unswitched (no {@code #Outlet.PowerControl} action, its POST 404), as the
     * mockup's unmanaged outlet A5; or switched again.
     */
    public synchronized void setSwitched(String outletId, boolean switched) {
        outlet(outletId).switched = switched;
    }

    /** The outlet ids, in order. */
    public synchronized List<String> outletIds() {
        return List.copyOf(outlets.keySet());
    }

    @Override
    public synchronized void advanceTo(Instant time) {
        if (!time.isAfter(now)) {
            return;
        }
        for (Outlet outlet : outlets.values()) {
            outlet.integrate(now, time, settle);
        }
        now = time;
    }

    @Override
    public synchronized @Nullable ObjectNode get(String path) {
        if (path.equals(ROOT)) {
            return RedfishNodes.root("Simulated Redfish PDU", "PowerEquipment");
        }
        if (path.equals(ROOT + "/PowerEquipment")) {
            ObjectNode node = resource("#PowerEquipment.v1_2_0.PowerEquipment", path);
            node.put("Id", "PowerEquipment");
            node.putObject("RackPDUs").put("@odata.id", ROOT + "/PowerEquipment/RackPDUs");
            return node;
        }
        if (path.equals(ROOT + "/PowerEquipment/RackPDUs")) {
            return collection("#PowerDistributionCollection.PowerDistributionCollection", path, List.of(BASE));
        }
        if (!path.startsWith(BASE)) {
            return null;
        }
        String rest = path.substring(BASE.length());
        switch (rest) {
            case "":
                return pdu();
            case "/Metrics":
                return metrics();
            case "/Outlets":
                return collection(
                        "#OutletCollection.OutletCollection",
                        path,
                        outlets.keySet().stream()
                                .map(id -> BASE + "/Outlets/" + id)
                                .toList());
            case "/Branches":
                return collection(
                        "#CircuitCollection.CircuitCollection",
                        path,
                        branches().stream().map(b -> BASE + "/Branches/" + b).toList());
            case "/Mains":
                return collection("#CircuitCollection.CircuitCollection", path, List.of(BASE + "/Mains/AC1"));
            case "/Mains/AC1":
                return mains();
            default:
                break;
        }
        if (rest.startsWith("/Outlets/")) {
            Outlet outlet = outlets.get(rest.substring("/Outlets/".length()));
            return outlet == null ? null : outletNode(outlet);
        }
        if (rest.startsWith("/Branches/")) {
            String branch = rest.substring("/Branches/".length());
            return branches().contains(branch) ? branch(branch) : null;
        }
        return null;
    }

    @Override
    public synchronized Write write(String method, String path, JsonNode body) {
        String prefix = BASE + "/Outlets/";
        String suffix = "/" + ACTION;
        if (!method.equals("POST") || !path.startsWith(prefix) || !path.endsWith(suffix)) {
            return Write.notAllowed(method, path);
        }
        Outlet outlet = outlets.get(path.substring(prefix.length(), path.length() - suffix.length()));
        if (outlet == null || !outlet.switched) {
            return Write.error(404, "Base.1.8.ResourceMissingAtURI", "no action at " + path);
        }
        JsonNode state = body.get("PowerState");
        if (state == null) {
            return Write.error(
                    400,
                    "Base.1.8.ActionParameterMissing",
                    "The action " + ACTION + " requires the parameter PowerState to be present in the request body.");
        }
        String asked = state.isTextual() ? state.asText() : state.toString();
        if (actionsIgnored && List.of("On", "Off", "PowerCycle").contains(asked)) {
            return Write.noContent();
        }
        switch (asked) {
            case "On" -> outlet.switchTo(true, now, settle, false);
            case "Off" -> outlet.switchTo(false, now, settle, false);
            case "PowerCycle" -> outlet.switchTo(true, now, settle, true);
            default -> {
                return Write.error(
                        400,
                        "Base.1.8.ActionParameterValueNotInList",
                        "The value '" + (asked.length() > 40 ? asked.substring(0, 40) + "…" : asked)
                                + "' for the parameter PowerState in the action " + ACTION
                                + " is not in the list of acceptable values.");
            }
        }
        return Write.noContent();
    }

    private ObjectNode pdu() {
        ObjectNode node = resource("#PowerDistribution.v1_6_0.PowerDistribution", BASE);
        node.put("Id", PDU_ID);
        node.put("EquipmentType", "RackPDU");
        node.put("Name", "RackPDU1");
        node.put("Manufacturer", "Headroom");
        node.put("Model", "Simulated Redfish PDU");
        status(node, "Enabled", "OK");
        for (String part : List.of("Mains", "Branches", "Outlets", "Metrics")) {
            node.putObject(part).put("@odata.id", BASE + "/" + part);
        }
        return node;
    }

    private ObjectNode metrics() {
        ObjectNode node = resource("#PowerDistributionMetrics.v1_4_0.PowerDistributionMetrics", BASE + "/Metrics");
        node.put("Id", "Metrics");
        node.put("Name", "Summary Metrics");
        reading(node, "PowerWatts", totalPowerWatts());
        reading(
                node,
                "EnergykWh",
                outlets.values().stream().mapToDouble(o -> o.energyKwh).sum());
        return node;
    }

    private ObjectNode outletNode(Outlet outlet) {
        ObjectNode node = resource("#Outlet.v1_4_4.Outlet", BASE + "/Outlets/" + outlet.id);
        double watts = outlet.power(now, settle);
        node.put("Id", outlet.id);
        node.put("Name", "Outlet " + outlet.id + ", Branch Circuit " + outlet.id.charAt(0));
        status(node, "Enabled", "OK");
        node.put("PowerState", outlet.on ? "On" : "Off");
        node.put("PowerEnabled", true);
        node.put("PowerOnDelaySeconds", 0);
        node.put("PowerOffDelaySeconds", 0);
        reading(node, "Voltage", outlet.on ? NOMINAL_VOLTS : 0);
        reading(node, "CurrentAmps", watts / NOMINAL_VOLTS);
        reading(node, "PowerWatts", watts);
        reading(node, "EnergykWh", outlet.energyKwh);
        if (outlet.switched) {
            node.putObject("Actions")
                    .putObject("#" + ACTION)
                    .put("target", BASE + "/Outlets/" + outlet.id + "/" + ACTION);
        }
        node.putObject("Links").putObject("BranchCircuit").put("@odata.id", BASE + "/Branches/" + outlet.id.charAt(0));
        return node;
    }

    private TreeSet<String> branches() {
        TreeSet<String> branches = new TreeSet<>();
        outlets.keySet().forEach(id -> branches.add(id.substring(0, 1)));
        return branches;
    }

    private ObjectNode branch(String branch) {
        ObjectNode node = resource("#Circuit.v1_9_0.Circuit", BASE + "/Branches/" + branch);
        List<Outlet> fed = new ArrayList<>();
        outlets.values().stream().filter(o -> o.id.startsWith(branch)).forEach(fed::add);
        double watts = fed.stream().mapToDouble(o -> o.power(now, settle)).sum();
        node.put("Id", branch);
        node.put("Name", "Branch Circuit " + branch);
        node.put("CircuitType", "Branch");
        node.put("BreakerState", "Normal");
        status(node, "Enabled", "OK");
        node.putObject("PolyPhaseVoltage").putObject("Line1ToNeutral").put("Reading", NOMINAL_VOLTS);
        reading(node, "CurrentAmps", watts / NOMINAL_VOLTS);
        reading(node, "PowerWatts", watts);
        reading(node, "EnergykWh", fed.stream().mapToDouble(o -> o.energyKwh).sum());
        return node;
    }

    private ObjectNode mains() {
        ObjectNode node = resource("#Circuit.v1_9_0.Circuit", BASE + "/Mains/AC1");
        double watts = totalPowerWatts();
        node.put("Id", "AC1");
        node.put("Name", "Mains AC Input");
        node.put("CircuitType", "Mains");
        node.put("PhaseWiringType", "OnePhase3Wire");
        node.put("BreakerState", "Normal");
        status(node, "Enabled", "OK");
        node.putObject("PolyPhaseVoltage").putObject("Line1ToNeutral").put("Reading", NOMINAL_VOLTS);
        node.putObject("PolyPhaseCurrentAmps")
                .putObject("Line1")
                .put("Reading", Math.round(watts / NOMINAL_VOLTS * 100) / 100.0);
        node.putObject("PolyPhasePowerWatts")
                .putObject("Line1ToNeutral")
                .put("Reading", Math.round(watts * 100) / 100.0);
        reading(node, "FrequencyHz", FREQUENCY_HZ);
        return node;
    }

    private Outlet outlet(String id) {
        Outlet outlet = outlets.get(id);
        if (outlet == null) {
            throw new IllegalArgumentException("no outlet '" + id + "'; the PDU has " + outlets.keySet());
        }
        return outlet;
    }

    private static double requireLoad(double watts) {
        if (!Double.isFinite(watts) || watts < 0 || watts > 16_000) {
            throw new IllegalArgumentException("load: " + watts + " W must be 0 to 16000");
        }
        return watts;
    }

    /** One outlet: switched state, the load behind it, the power it drew before its last switch. */
    private static final class Outlet {
        final String id;
        double load;
        boolean on = true;
        boolean switched = true;
        /** When it was last switched. */
        Instant since;
        /** What it drew until the settle delay after the last switch ran out. */
        double before;

        double energyKwh;

        Outlet(String id, double load, Instant since) {
            this.id = id;
            this.load = load;
            this.since = since;
            this.before = load;
        }

        double power(Instant at, Duration settle) {
            boolean settled = !at.isBefore(since.plus(settle));
            if (!settled) {
                return before;
            }
            return on ? load : 0;
        }

        void switchTo(boolean turnOn, Instant at, Duration settle, boolean cycle) {
            before = cycle ? 0 : power(at, settle);
            on = turnOn;
            since = at;
        }

        /** Adds the energy drawn from {@code from} to {@code to}, split where the settle delay ends. */
        void integrate(Instant from, Instant to, Duration settle) {
            Instant settles = since.plus(settle);
            Instant split = settles.isAfter(from) && settles.isBefore(to) ? settles : from;
            energyKwh += power(from, settle) * seconds(from, split) / 3.6e6;
            energyKwh += power(to, settle) * seconds(split, to) / 3.6e6;
        }

        private static double seconds(Instant a, Instant b) {
            return Duration.between(a, b).toNanos() / 1e9;
        }
    }
}
