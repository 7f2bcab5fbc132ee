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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A simulated coolant distribution unit with a Redfish service, in the shapes of DMTF's
 * {@code public-cooling-unit} mockup ({@code ThermalEquipment/CDUs/1} with primary and secondary
 * coolant connectors, two pumps, leak detectors {@code Moisture} and {@code Overflow}, a filter and a
 * reservoir). Read only: every PATCH and POST is 405, as Headroom never drives a CDU.
 *
 * <p>The physics is a heat balance: the rack's heat load (settable, kW) warms the secondary loop, whose
 * flow the pumps set (speed rising from 40 % at no load to 100 % at the rated load); return = supply +
 * load / (mass flow × specific heat). The facility water of the primary loop takes the same heat at a
 * fixed flow; the secondary supply sits a fixed approach above the facility supply. Temperatures move
 * towards those values with a first-order lag ({@value #TIME_CONSTANT_S} s), stepped by
 * {@link #advanceTo}. A failed pump stops; the other carries the loop. A leak can be injected on a
 * detector ({@code DetectorState} {@code Critical}).
 */
public final class SimulatedRedfishCdu implements RedfishService {

    /** The CDU id in the paths ({@code ThermalEquipment/CDUs/1}). */
    public static final String CDU_ID = "1";
    /** The leak detectors' ids. */
    public static final List<String> DETECTORS = List.of("Moisture", "Overflow");

    static final String BASE = ROOT + "/ThermalEquipment/CDUs/" + CDU_ID;
    static final double TIME_CONSTANT_S = 30;
    /** Heat load at which the pumps run at 100 %. */
    static final double RATED_KW = 100;
    /** Secondary flow at 100 % pump speed (the mockup's RatedFlowLitersPerMinute is 50). */
    static final double RATED_FLOW_LPM = 120;

    static final double PRIMARY_FLOW_LPM = 150;
    /** Secondary supply above the facility supply: the heat exchanger's approach. */
    static final double APPROACH_K = 3;
    /** Water with 20 % glycol, the mockup's Coolant: kJ/(kg·K) and kg/L. */
    static final double SPECIFIC_HEAT = 3.974;

    static final double DENSITY = 1.03;

    private final Map<String, String> detectors = new LinkedHashMap<>();
    private final boolean[] pumpFailed = new boolean[2];
    private double heatLoadKw;
    private double facilitySupplyC;
    private double primaryReturnC;
    private double secondarySupplyC;
    private double secondaryReturnC;
    private Instant now;

    /**
     * @param heatLoadKw the rack's heat load at the start
     * @param facilitySupplyC the facility water's supply temperature
     * @param start the model's time; temperatures start settled
     */
    public SimulatedRedfishCdu(double heatLoadKw, double facilitySupplyC, Instant start) {
        this.heatLoadKw = requireLoad(heatLoadKw);
        if (!Double.isFinite(facilitySupplyC) || facilitySupplyC < 0 || facilitySupplyC > 60) {
            throw new IllegalArgumentException("facility supply: " + facilitySupplyC + " °C must be 0 to 60");
        }
        this.facilitySupplyC = facilitySupplyC;
        this.now = Objects.requireNonNull(start, "start");
        DETECTORS.forEach(d -> detectors.put(d, "OK"));
        primaryReturnC = primaryReturnTarget();
        secondarySupplyC = secondarySupplyTarget();
        secondaryReturnC = secondaryReturnTarget();
    }

    /** Sets the rack's heat load (what the servers on the loop dissipate), in kW. */
    public synchronized void setHeatLoadKw(double kw) {
        heatLoadKw = requireLoad(kw);
    }

    /** Marks a detector as seeing a leak ({@code Critical}), or clears it ({@code OK}). */
    public synchronized void setLeak(String detector, boolean leaking) {
        if (!detectors.containsKey(detector)) {
            throw new IllegalArgumentException("no leak detector '" + detector + "'; the CDU has " + DETECTORS);
        }
        detectors.put(detector, leaking ? "Critical" : "OK");
    }

    /** Fails pump 1 or 2 (it stops, Health Critical), or repairs it. */
    public synchronized void setPumpFailed(int pump, boolean failed) {
        if (pump < 1 || pump > 2) {
            throw new IllegalArgumentException("pump " + pump + ": the CDU has pumps 1 and 2");
        }
        pumpFailed[pump - 1] = failed;
    }

    public synchronized double secondarySupplyC() {
        return secondarySupplyC;
    }

    public synchronized double secondaryReturnC() {
        return secondaryReturnC;
    }

    /** Secondary flow now, L/min. */
    public synchronized double secondaryFlowLpm() {
        return working() == 0 ? 0 : RATED_FLOW_LPM * speedPercent() / 100;
    }

    @Override
    public synchronized void advanceTo(Instant time) {
        if (!time.isAfter(now)) {
            return;
        }
        double dt = Duration.between(now, time).toNanos() / 1e9;
        double k = 1 - Math.exp(-dt / TIME_CONSTANT_S);
        primaryReturnC += (primaryReturnTarget() - primaryReturnC) * k;
        secondarySupplyC += (secondarySupplyTarget() - secondarySupplyC) * k;
        secondaryReturnC += (secondaryReturnTarget() - secondaryReturnC) * k;
        now = time;
    }

    private int working() {
        return (pumpFailed[0] ? 0 : 1) + (pumpFailed[1] ? 0 : 1);
    }

    /** Speed of each working pump, percent. */
    private double speedPercent() {
        return Math.min(100, 40 + 60 * heatLoadKw / RATED_KW);
    }

    private double primaryReturnTarget() {
        return facilitySupplyC + heatLoadKw / (PRIMARY_FLOW_LPM / 60 * DENSITY * SPECIFIC_HEAT);
    }

    private double secondarySupplyTarget() {
        return facilitySupplyC + APPROACH_K;
    }

    private double secondaryReturnTarget() {
        double flow = secondaryFlowLpm();
        double rise = flow == 0 ? 40 : heatLoadKw / (flow / 60 * DENSITY * SPECIFIC_HEAT);
        return secondarySupplyTarget() + Math.min(rise, 40);
    }

    @Override
    public synchronized @Nullable ObjectNode get(String path) {
        if (path.equals(ROOT)) {
            return RedfishNodes.root("Simulated Redfish CDU", "ThermalEquipment");
        }
        if (path.equals(ROOT + "/ThermalEquipment")) {
            ObjectNode node = resource("#ThermalEquipment.v1_1_0.ThermalEquipment", path);
            node.put("Id", "ThermalEquipment");
            node.putObject("CDUs").put("@odata.id", ROOT + "/ThermalEquipment/CDUs");
            return node;
        }
        if (path.equals(ROOT + "/ThermalEquipment/CDUs")) {
            return collection("#CoolingUnitCollection.CoolingUnitCollection", path, List.of(BASE));
        }
        if (!path.startsWith(BASE)) {
            return null;
        }
        return switch (path.substring(BASE.length())) {
            case "" -> cdu();
            case "/EnvironmentMetrics" -> environment();
            case "/PrimaryCoolantConnectors" -> one("#CoolantConnectorCollection.CoolantConnectorCollection", path);
            case "/PrimaryCoolantConnectors/1" ->
                connector(path, "Main supply from facility", PRIMARY_FLOW_LPM, facilitySupplyC, primaryReturnC);
            case "/SecondaryCoolantConnectors" -> one("#CoolantConnectorCollection.CoolantConnectorCollection", path);
            case "/SecondaryCoolantConnectors/1" ->
                connector(
                        path,
                        "Cooling connection to rack equipment",
                        secondaryFlowLpm(),
                        secondarySupplyC,
                        secondaryReturnC);
            case "/Pumps" -> collection("#PumpCollection.PumpCollection", path, List.of(path + "/1", path + "/2"));
            case "/Pumps/1" -> pump(1);
            case "/Pumps/2" -> pump(2);
            case "/LeakDetection" -> leakDetection();
            case "/LeakDetection/LeakDetectors" ->
                collection(
                        "#LeakDetectorCollection.LeakDetectorCollection",
                        path,
                        DETECTORS.stream().map(d -> path + "/" + d).toList());
            case "/LeakDetection/LeakDetectors/Moisture" -> detector("Moisture", "Moisture");
            case "/LeakDetection/LeakDetectors/Overflow" -> detector("Overflow", "FloatSwitch");
            case "/Filters" -> one("#FilterCollection.FilterCollection", path);
            case "/Filters/1" -> part("#Filter.v1_1_0.Filter", path, "Internal CDU Filter");
            case "/Reservoirs" -> one("#ReservoirCollection.ReservoirCollection", path);
            case "/Reservoirs/1" -> {
                ObjectNode node = part("#Reservoir.v1_0_2.Reservoir", path, "CDU Reservoir");
                node.put("FluidLevelStatus", "OK");
                yield node;
            }
            default -> null;
        };
    }

    @Override
    public Write write(String method, String path, JsonNode body) {
        return Write.error(
                405, "Base.1.8.OperationNotAllowed", "the simulated CDU is read only: " + method + " " + path);
    }

    private ObjectNode cdu() {
        ObjectNode node = resource("#CoolingUnit.v1_5_0.CoolingUnit", BASE);
        node.put("Id", CDU_ID);
        node.put("EquipmentType", "CDU");
        node.put("Name", "Rack Cooling Distribution Unit");
        node.put("Manufacturer", "Headroom");
        node.put("Model", "Simulated Redfish CDU");
        boolean leak = detectors.containsValue("Critical");
        status(node, "Enabled", leak || working() < 2 ? "Critical" : "OK");
        for (String part : List.of(
                "PrimaryCoolantConnectors",
                "SecondaryCoolantConnectors",
                "Pumps",
                "Filters",
                "Reservoirs",
                "EnvironmentMetrics",
                "LeakDetection")) {
            node.putObject(part).put("@odata.id", BASE + "/" + part);
        }
        return node;
    }

    private ObjectNode environment() {
        ObjectNode node = resource("#EnvironmentMetrics.v1_5_0.EnvironmentMetrics", BASE + "/EnvironmentMetrics");
        node.put("Name", "Rack CDU Environment Metrics");
        reading(node, "TemperatureCelsius", 24);
        reading(node, "HumidityPercent", 40);
        return node;
    }

    private static ObjectNode one(String type, String path) {
        return collection(type, path, List.of(path + "/1"));
    }

    private static ObjectNode connector(String path, String name, double flow, double supply, double ret) {
        ObjectNode node = resource("#CoolantConnector.v1_3_0.CoolantConnector", path);
        node.put("Id", "1");
        node.put("Name", name);
        status(node, "Enabled", "OK");
        node.put("CoolantConnectorType", "Pair");
        reading(node, "FlowLitersPerMinute", flow);
        reading(node, "SupplyTemperatureCelsius", supply);
        reading(node, "ReturnTemperatureCelsius", ret);
        reading(node, "DeltaTemperatureCelsius", ret - supply);
        return node;
    }

    private ObjectNode pump(int number) {
        ObjectNode node = resource("#Pump.v1_2_0.Pump", BASE + "/Pumps/" + number);
        boolean failed = pumpFailed[number - 1];
        node.put("Id", Integer.toString(number));
        node.put("Name", "CDU Pump " + number);
        node.put("PumpType", "Liquid");
        status(node, failed ? "UnavailableOffline" : "Enabled", failed ? "Critical" : "OK");
        reading(node, "PumpSpeedPercent", failed ? 0 : speedPercent());
        return node;
    }

    private ObjectNode leakDetection() {
        ObjectNode node = resource("#LeakDetection.v1_2_0.LeakDetection", BASE + "/LeakDetection");
        node.put("Id", "LeakDetection");
        node.put("Name", "Leak Detection Systems");
        status(node, "Enabled", detectors.containsValue("Critical") ? "Critical" : "OK");
        node.putObject("LeakDetectors").put("@odata.id", BASE + "/LeakDetection/LeakDetectors");
        return node;
    }

    private ObjectNode detector(String id, String type) {
        ObjectNode node = resource("#LeakDetector.v1_2_0.LeakDetector", BASE + "/LeakDetection/LeakDetectors/" + id);
        String state = detectors.get(id);
        node.put("Id", id);
        node.put("Name", id + " Leak Detector");
        node.put("LeakDetectorType", type);
        status(node, "Enabled", state);
        node.put("DetectorState", state);
        return node;
    }

    private static ObjectNode part(String type, String path, String name) {
        ObjectNode node = resource(type, path);
        node.put("Id", "1");
        node.put("Name", name);
        status(node, "Enabled", "OK");
        return node;
    }

    private static double requireLoad(double kw) {
        if (!Double.isFinite(kw) || kw < 0 || kw > 2 * RATED_KW) {
            throw new IllegalArgumentException("heat load: " + kw + " kW must be 0 to " + (int) (2 * RATED_KW));
        }
        return kw;
    }
}
