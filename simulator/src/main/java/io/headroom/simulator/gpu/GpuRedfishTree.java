package io.headroom.simulator.gpu;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The Redfish resources of a simulated GPU server, made from its model at the moment of asking, in
 * the shapes of DMTF's {@code public-rackmount1} mockup (reference/DEVICES.md §4.11): the service
 * root, {@code Chassis/{id}} with {@code EnvironmentMetrics}, {@code Controls/PowerLimit},
 * {@code PowerSubsystem/PowerSupplies} (with {@code Metrics}), {@code Sensors}, and the legacy
 * {@code Power} and {@code Thermal}.
 */
final class GpuRedfishTree {

    static final String ROOT = "/redfish/v1";
    /** Supplies of the simulated chassis, sharing its load equally. */
    static final int SUPPLIES = 6;
    /** Nominal supply voltage. */
    static final double SUPPLY_VOLTS = 230;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final GpuServerModel model;
    private final String chassis;
    private final String base;

    GpuRedfishTree(GpuServerModel model, String chassis) {
        this.model = model;
        this.chassis = chassis;
        this.base = ROOT + "/Chassis/" + chassis;
    }

    /** The resource at a path (without a trailing slash), or null when there is none. */
    ObjectNode get(String path) {
        if (path.equals(ROOT)) {
            return root();
        }
        if (path.equals(ROOT + "/Chassis")) {
            return collection("#ChassisCollection.ChassisCollection", ROOT + "/Chassis", List.of(base));
        }
        if (!path.startsWith(base)) {
            return null;
        }
        String rest = path.substring(base.length());
        List<GpuSnapshot> gpus = model.gpus();
        ObjectNode fixed = switch (rest) {
            case "" -> chassis();
            case "/EnvironmentMetrics" -> environment();
            case "/Controls/PowerLimit" -> control();
            case "/Power" -> legacyPower();
            case "/Thermal" -> thermal(gpus);
            case "/PowerSubsystem/PowerSupplies" -> supplies();
            case "/Sensors" -> sensors();
            default -> null;
        };
        if (fixed != null) {
            return fixed;
        }
        if (rest.startsWith("/PowerSubsystem/PowerSupplies/PSU")) {
            return supply(rest.substring("/PowerSubsystem/PowerSupplies/PSU".length()));
        }
        if (rest.startsWith("/Sensors/")) {
            return sensor(rest.substring("/Sensors/".length()), gpus);
        }
        return null;
    }

    private ObjectNode root() {
        ObjectNode root = resource("#ServiceRoot.v1_15_0.ServiceRoot", ROOT);
        root.put("Id", "RootService");
        root.put("Name", "Root Service");
        root.put("RedfishVersion", "1.15.0");
        root.put("Vendor", "Headroom");
        root.put("Product", model.spec().model());
        root.putObject("Chassis").put("@odata.id", ROOT + "/Chassis");
        root.putObject("SessionService").put("@odata.id", ROOT + "/SessionService");
        root.putObject("Links").putObject("Sessions").put("@odata.id", ROOT + "/SessionService/Sessions");
        return root;
    }

    private ObjectNode chassis() {
        ObjectNode node = resource("#Chassis.v1_21_0.Chassis", base);
        node.put("Id", chassis);
        node.put("ChassisType", "RackMount");
        node.put("Model", model.spec().model());
        node.putObject("EnvironmentMetrics").put("@odata.id", base + "/EnvironmentMetrics");
        node.putObject("Controls").put("@odata.id", base + "/Controls");
        node.putObject("PowerSubsystem").put("@odata.id", base + "/PowerSubsystem");
        node.putObject("Sensors").put("@odata.id", base + "/Sensors");
        node.putObject("Power").put("@odata.id", base + "/Power");
        node.putObject("Thermal").put("@odata.id", base + "/Thermal");
        return node;
    }

    private ObjectNode environment() {
        ObjectNode node = resource("#EnvironmentMetrics.v1_3_0.EnvironmentMetrics", base + "/EnvironmentMetrics");
        node.put("Name", "Chassis Environment Metrics");
        node.putObject("TemperatureCelsius").put("Reading", round1(model.inletC()));
        node.putObject("PowerWatts").put("Reading", round1(model.chassisPowerWatts()));
        ObjectNode limit = node.putObject("PowerLimitWatts");
        limit.put("SetPoint", model.powerCapWatts());
        limit.put("AllowableMax", model.spec().allowableMaxWatts());
        limit.put("AllowableMin", model.spec().allowableMinWatts());
        limit.put("ControlMode", "Automatic");
        limit.put("DataSourceUri", base + "/Controls/PowerLimit");
        return node;
    }

    private ObjectNode control() {
        ObjectNode node = resource("#Control.v1_2_0.Control", base + "/Controls/PowerLimit");
        node.put("Id", "PowerLimit");
        node.put("Name", "System Power Limit");
        node.put("PhysicalContext", "Chassis");
        node.put("ControlType", "Power");
        node.put("ControlMode", "Automatic");
        node.put("SetPoint", model.powerCapWatts());
        node.put("SetPointUnits", "W");
        node.put("AllowableMax", model.spec().allowableMaxWatts());
        node.put("AllowableMin", model.spec().allowableMinWatts());
        ObjectNode sensor = node.putObject("Sensor");
        sensor.put("Reading", round1(model.chassisPowerWatts()));
        sensor.put("DataSourceUri", base + "/Sensors/TotalPower");
        enabled(node);
        return node;
    }

    private ObjectNode legacyPower() {
        ObjectNode node = resource("#Power.v1_7_1.Power", base + "/Power");
        node.put("Id", "Power");
        ObjectNode control = node.putArray("PowerControl").addObject();
        control.put("@odata.id", base + "/Power#/PowerControl/0");
        control.put("MemberId", "0");
        control.put("Name", "System Input Power");
        control.put("PowerConsumedWatts", round1(model.chassisPowerWatts()));
        control.put("PowerCapacityWatts", model.spec().allowableMaxWatts());
        ObjectNode limit = control.putObject("PowerLimit");
        limit.put("LimitInWatts", model.powerCapWatts());
        limit.put("LimitException", "LogEventOnly");
        limit.put("CorrectionInMs", 50);
        enabled(control);
        ArrayNode supplies = node.putArray("PowerSupplies");
        for (int i = 0; i < SUPPLIES; i++) {
            ObjectNode psu = supplies.addObject();
            psu.put("MemberId", Integer.toString(i));
            psu.put("LineInputVoltage", SUPPLY_VOLTS);
            psu.put("PowerCapacityWatts", 3000);
            enabled(psu);
        }
        return node;
    }

    private ObjectNode thermal(List<GpuSnapshot> gpus) {
        ObjectNode node = resource("#Thermal.v1_7_1.Thermal", base + "/Thermal");
        node.put("Id", "Thermal");
        ArrayNode temperatures = node.putArray("Temperatures");
        ObjectNode inlet = temperatures.addObject();
        inlet.put("MemberId", "0");
        inlet.put("Name", "Chassis Intake Temp");
        inlet.put("ReadingCelsius", round1(model.inletC()));
        inlet.put("PhysicalContext", "Intake");
        enabled(inlet);
        for (GpuSnapshot gpu : gpus) {
            ObjectNode t = temperatures.addObject();
            t.put("MemberId", Integer.toString(gpu.index() + 1));
            t.put("Name", "GPU" + (gpu.index() + 1) + " Temp");
            t.put("ReadingCelsius", round1(gpu.temperatureC()));
            t.put("PhysicalContext", "GPU");
            enabled(t);
        }
        node.putArray("Fans");
        return node;
    }

    private ObjectNode supplies() {
        List<String> members = new java.util.ArrayList<>();
        for (int i = 1; i <= SUPPLIES; i++) {
            members.add(base + "/PowerSubsystem/PowerSupplies/PSU" + i);
        }
        return collection(
                "#PowerSupplyCollection.PowerSupplyCollection", base + "/PowerSubsystem/PowerSupplies", members);
    }

    private ObjectNode supply(String rest) {
        boolean metrics = rest.endsWith("/Metrics");
        String number = metrics ? rest.substring(0, rest.length() - "/Metrics".length()) : rest;
        int index;
        try {
            index = Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return null;
        }
        if (index < 1 || index > SUPPLIES) {
            return null;
        }
        String path = base + "/PowerSubsystem/PowerSupplies/PSU" + index;
        if (!metrics) {
            ObjectNode psu = resource("#PowerSupply.v1_5_0.PowerSupply", path);
            psu.put("Id", "PSU" + index);
            psu.put("PowerCapacityWatts", 3000);
            psu.putObject("Metrics").put("@odata.id", path + "/Metrics");
            enabled(psu);
            return psu;
        }
        double watts = model.chassisPowerWatts() / SUPPLIES;
        ObjectNode node = resource("#PowerSupplyMetrics.v1_0_1.PowerSupplyMetrics", path + "/Metrics");
        node.put("Id", "Metrics");
        node.putObject("InputVoltage").put("Reading", SUPPLY_VOLTS);
        node.putObject("InputCurrentAmps").put("Reading", round2(watts / SUPPLY_VOLTS));
        node.putObject("InputPowerWatts").put("Reading", round1(watts));
        return node;
    }

    private ObjectNode sensors() {
        List<String> members = new java.util.ArrayList<>();
        members.add(base + "/Sensors/IntakeTemp");
        members.add(base + "/Sensors/TotalPower");
        for (int g = 1; g <= model.spec().gpus(); g++) {
            members.add(base + "/Sensors/GPU" + g + "Temp");
            members.add(base + "/Sensors/GPU" + g + "Power");
        }
        return collection("#SensorCollection.SensorCollection", base + "/Sensors", members);
    }

    private ObjectNode sensor(String id, List<GpuSnapshot> gpus) {
        if (id.equals("IntakeTemp")) {
            return sensorNode(id, "Temperature", "Cel", model.inletC());
        }
        if (id.equals("TotalPower")) {
            return sensorNode(id, "Power", "W", model.chassisPowerWatts());
        }
        if (id.startsWith("GPU") && (id.endsWith("Temp") || id.endsWith("Power"))) {
            boolean temp = id.endsWith("Temp");
            String number = id.substring(3, id.length() - (temp ? 4 : 5));
            try {
                int g = Integer.parseInt(number);
                if (g >= 1 && g <= gpus.size()) {
                    GpuSnapshot gpu = gpus.get(g - 1);
                    return temp
                            ? sensorNode(id, "Temperature", "Cel", gpu.temperatureC())
                            : sensorNode(id, "Power", "W", gpu.powerWatts());
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private ObjectNode sensorNode(String id, String type, String units, double reading) {
        ObjectNode node = resource("#Sensor.v1_6_0.Sensor", base + "/Sensors/" + id);
        node.put("Id", id);
        node.put("ReadingType", type);
        node.put("ReadingUnits", units);
        node.put("Reading", round1(reading));
        enabled(node);
        return node;
    }

    private static ObjectNode collection(String type, String path, List<String> members) {
        ObjectNode node = resource(type, path);
        node.put("Members@odata.count", members.size());
        ArrayNode array = node.putArray("Members");
        members.forEach(m -> array.addObject().put("@odata.id", m));
        return node;
    }

    private static ObjectNode resource(String type, String path) {
        ObjectNode node = JSON.objectNode();
        node.put("@odata.type", type);
        node.put("@odata.id", path);
        return node;
    }

    private static void enabled(ObjectNode node) {
        ObjectNode status = node.putObject("Status");
        status.put("State", "Enabled");
        status.put("Health", "OK");
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
