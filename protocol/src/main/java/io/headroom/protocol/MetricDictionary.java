package io.headroom.protocol;

import io.headroom.protocol.wire.MetricType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The canonical metric names and units: the single source of truth for what a metric is called,
 * in which unit it travels and what range is plausible. Drivers map device fields onto these;
 * the controller and its API show only these. Documented in {@code docs/metrics.md}.
 *
 * <p>One physical quantity that a device reports several times (per hash board, per fan) keeps
 * one name and is told apart by the metric's {@code instance} ({@code board1}, {@code fan2}).
 */
public final class MetricDictionary {

    public static final String POWER = "power";
    public static final String ENERGY = "energy";
    public static final String HASHRATE = "hashrate";
    public static final String HASHRATE_AVERAGE = "hashrate.average";
    public static final String TEMPERATURE_CHIP = "temperature.chip";
    public static final String TEMPERATURE_BOARD = "temperature.board";
    public static final String TEMPERATURE_INLET = "temperature.inlet";
    public static final String TEMPERATURE_OUTLET = "temperature.outlet";
    public static final String FAN_SPEED = "fan.speed";
    public static final String STATUS = "status";
    public static final String POWER_TARGET = "power.target";
    public static final String MODE = "mode";
    public static final String CURRENT = "current";
    public static final String VOLTAGE = "voltage";
    public static final String OUTLET_STATE = "outlet.state";
    public static final String TEMPERATURE_SENSOR = "temperature.sensor";
    public static final String HUMIDITY = "humidity";
    public static final String LOAD = "load";
    public static final String BATTERY_CHARGE = "battery.charge";
    public static final String BATTERY_RUNTIME = "battery.runtime";
    public static final String BATTERY_STATUS = "battery.status";
    public static final String POWER_SOURCE = "power.source";
    public static final String FREQUENCY = "frequency";
    public static final String COOLANT_FLOW = "coolant.flow";
    public static final String PUMP_SPEED = "pump.speed";
    public static final String LEAK_STATE = "leak.state";

    private static final Map<String, MetricDescriptor> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, Map<String, Integer>> STATES = new LinkedHashMap<>();

    static {
        // Ranges are deliberately wide: they catch sentinels and unit mix-ups (mW for W, °F for
        // °C, GH/s for TH/s), not unusual-but-real readings. Sources: reference/DEVICES.md §6.
        // power is reported by miners (a few kW) but also by rack PDUs (tens of kW) and feed meters
        // (hundreds of kW to MW), so its range is a site's, 10 MW: wide enough for any real device on a
        // site, still catching the sentinels and mW-for-W mix-ups that end up far beyond it. Whether a
        // reading is plausible for one device (a miner drawing 60 kW) is a question of that device's
        // nameplate, which the control engine owns; one dictionary-wide range cannot answer it.
        add(POWER, "W", MetricType.METRIC_TYPE_GAUGE, 0, 10_000_000, "Input power of the device");
        add(ENERGY, "kWh", MetricType.METRIC_TYPE_COUNTER, 0, 1e9, "Energy consumed since the meter's origin");
        add(HASHRATE, "TH/s", MetricType.METRIC_TYPE_GAUGE, 0, 2_000, "SHA-256 hashrate");
        // The miner's own average since its mining started (CGMiner's "GHS av"): what under-hashing is judged
        // against where the profile gives no rated hashrate (LuxOS runs on many models).
        add(
                HASHRATE_AVERAGE,
                "TH/s",
                MetricType.METRIC_TYPE_GAUGE,
                0,
                2_000,
                "SHA-256 hashrate averaged by the miner since its mining started");
        add(
                TEMPERATURE_CHIP,
                "°C",
                MetricType.METRIC_TYPE_GAUGE,
                -40,
                150,
                "Hottest ASIC chip (per board with an instance, the device maximum without)");
        add(
                TEMPERATURE_BOARD,
                "°C",
                MetricType.METRIC_TYPE_GAUGE,
                -40,
                150,
                "Hash board / PCB temperature (per board with an instance, the device maximum without)");
        add(TEMPERATURE_INLET, "°C", MetricType.METRIC_TYPE_GAUGE, -40, 100, "Air or coolant inlet temperature");
        add(TEMPERATURE_OUTLET, "°C", MetricType.METRIC_TYPE_GAUGE, -40, 120, "Air or coolant outlet temperature");
        add(FAN_SPEED, "rpm", MetricType.METRIC_TYPE_GAUGE, 0, 30_000, "Fan speed, one instance per fan");
        add(
                STATUS,
                "",
                MetricType.METRIC_TYPE_STATE,
                1,
                3,
                "Device health code: 1 online, 2 degraded, 3 offline (wire: DeviceStatus)");
        add(POWER_TARGET, "W", MetricType.METRIC_TYPE_GAUGE, 0, 20_000, "Power target the device is set to");
        add(MODE, "", MetricType.METRIC_TYPE_STATE, 0, 3, "Operating mode code, see Mode");
        add(
                CURRENT,
                "A",
                MetricType.METRIC_TYPE_GAUGE,
                0,
                1_000,
                "RMS current: per phase (instance phase1 …) or per outlet (instance = outlet number)");
        add(VOLTAGE, "V", MetricType.METRIC_TYPE_GAUGE, 0, 1_000, "RMS voltage, per phase (instance phase1 …)");
        add(
                OUTLET_STATE,
                "",
                MetricType.METRIC_TYPE_STATE,
                0,
                1,
                "Switched outlet state, per outlet (instance = outlet number): 0 off, 1 on");
        // Power-chain devices (PDU probes, UPSes, ENTITY-SENSOR-MIB sensors): TELEMETRY.md §3.
        add(
                TEMPERATURE_SENSOR,
                "°C",
                MetricType.METRIC_TYPE_GAUGE,
                -40,
                150,
                "Temperature of a sensor or probe (PDU probe, ENTITY-SENSOR-MIB sensor), per sensor instance");
        add(HUMIDITY, "%RH", MetricType.METRIC_TYPE_GAUGE, 0, 100, "Relative humidity of a probe, per sensor instance");
        add(
                LOAD,
                "%",
                MetricType.METRIC_TYPE_GAUGE,
                0,
                200,
                "UPS output load in percent of its rating (per output line with an instance)");
        add(BATTERY_CHARGE, "%", MetricType.METRIC_TYPE_GAUGE, 0, 100, "UPS battery charge remaining");
        add(
                BATTERY_RUNTIME,
                "s",
                MetricType.METRIC_TYPE_GAUGE,
                0,
                1e6,
                "UPS estimated run time on battery at the present load");
        add(BATTERY_STATUS, "", MetricType.METRIC_TYPE_STATE, 0, 2, "UPS battery status: 0 normal, 1 low, 2 depleted");
        add(
                POWER_SOURCE,
                "",
                MetricType.METRIC_TYPE_STATE,
                0,
                3,
                "What feeds a UPS's output: 0 mains, 1 battery, 2 bypass, 3 off");

        // Mains frequency at a meter: 50 or 60 Hz nominal; 40–70 Hz spans both with a generator's
        // excursions and catches a frequency read as the wrong type or register.
        add(FREQUENCY, "Hz", MetricType.METRIC_TYPE_GAUGE, 40, 70, "Mains frequency measured by a meter or UPS");

        // Liquid cooling (a CDU's loops, pumps and leak detectors; Redfish CoolingUnit). A rack CDU moves
        // tens to a few hundred L/min; 10 000 catches m³/h or mL/min read as L/min.
        add(
                COOLANT_FLOW,
                "L/min",
                MetricType.METRIC_TYPE_GAUGE,
                0,
                10_000,
                "Coolant flow of a loop (instance primary, secondary …)");
        add(PUMP_SPEED, "%", MetricType.METRIC_TYPE_GAUGE, 0, 100, "Coolant pump speed in percent, per pump");
        add(
                LEAK_STATE,
                "",
                MetricType.METRIC_TYPE_STATE,
                0,
                2,
                "Leak detector state, per detector: 0 ok, 1 warning, 2 critical (a leak)");

        Map<String, Integer> modes = new LinkedHashMap<>();
        for (Mode mode : Mode.values()) {
            modes.put(mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), mode.code());
        }
        STATES.put(MODE, Map.copyOf(modes));
        STATES.put(OUTLET_STATE, Map.of("off", 0, "on", 1));
        STATES.put(BATTERY_STATUS, Map.of("normal", 0, "low", 1, "depleted", 2));
        STATES.put(POWER_SOURCE, Map.of("mains", 0, "battery", 1, "bypass", 2, "off", 3));
        STATES.put(LEAK_STATE, Map.of("ok", 0, "warning", 1, "critical", 2));
    }

    private MetricDictionary() {}

    private static void add(String name, String unit, MetricType type, double min, double max, String description) {
        if (BY_NAME.put(name, new MetricDescriptor(name, unit, type, min, max, description)) != null) {
            throw new AssertionError("duplicate metric " + name);
        }
    }

    /** Returns the descriptor for a canonical name, or {@code null} if the name is not canonical. */
    public static MetricDescriptor find(String name) {
        return BY_NAME.get(name);
    }

    /**
     * Returns the descriptor for a canonical name.
     *
     * @throws IllegalArgumentException if the name is not in the dictionary
     */
    public static MetricDescriptor require(String name) {
        MetricDescriptor descriptor = BY_NAME.get(name);
        if (descriptor == null) {
            throw new IllegalArgumentException("unknown metric '" + name + "'; known: " + BY_NAME.keySet());
        }
        return descriptor;
    }

    /**
     * The code of a state of a state metric ({@code outlet.state} {@code off} is 0, {@code mode}
     * {@code low-power} is 2), or empty when the metric has no such state.
     */
    public static java.util.OptionalInt stateCode(String metric, String state) {
        Integer code = STATES.getOrDefault(metric, Map.of()).get(state);
        return code == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(code);
    }

    /** The state names of a state metric, for messages; empty for other metrics. */
    public static java.util.Set<String> stateNames(String metric) {
        return new java.util.TreeSet<>(STATES.getOrDefault(metric, Map.of()).keySet());
    }

    /** Every canonical metric, in dictionary order. */
    public static Collection<MetricDescriptor> all() {
        return BY_NAME.values();
    }

    /**
     * The key a metric is shown under in the controller's API: the name, followed by the instance
     * in brackets when there is one ({@code temperature.chip[board1]}).
     */
    public static String displayKey(String name, String instance) {
        return instance == null || instance.isEmpty() ? name : name + '[' + instance + ']';
    }

    /** True if {@code instance} is empty or 1–32 characters of {@code [a-z0-9_-]}. */
    public static boolean isValidInstance(String instance) {
        if (instance.length() > 32) {
            return false;
        }
        for (int i = 0; i < instance.length(); i++) {
            char c = instance.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
