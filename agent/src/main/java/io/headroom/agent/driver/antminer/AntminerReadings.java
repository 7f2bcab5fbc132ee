package io.headroom.agent.driver.antminer;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.driver.cgminer.JsonPath;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What the stock firmware's {@code stats.cgi}, {@code summary.cgi} and {@code get_miner_conf.cgi} replies
 * say, in canonical metrics (the shapes of the asic-rs captures, reference/DEVICES.md §4.2):
 *
 * <ul>
 *   <li>{@code STATS[0].rate_5s} in {@code rate_unit} → {@code hashrate} (TH/s); {@code SUMMARY[0].rate_5s}
 *       when stats is missing;
 *   <li>each {@code STATS[0].chain[]} → {@code hashrate}, {@code temperature.chip} and
 *       {@code temperature.board} of {@code board<index + 1>} (the RPC's numbering): {@code rate_real}, the
 *       hottest of {@code temp_chip[]} and of {@code temp_pcb[]}; a sensor reading 0 is no sensor;
 *   <li>{@code STATS[0].fan[]} (the first {@code fan_num}) → {@code fan.speed} of {@code fan1…};
 *   <li>{@code STATS[0].watt} when present and above 0 → {@code power} (newer firmware only: most stock
 *       firmware reports no power, §4.2);
 *   <li>the profile's mode key of the configuration → {@code mode}, through the profile's codes;
 *   <li>{@code SUMMARY[0].status[]} items with status {@code e} → device faults (DEGRADED).
 * </ul>
 */
final class AntminerReadings {

    private AntminerReadings() {}

    /**
     * @param identity model and firmware from {@code INFO} when seen, else null
     * @param readings readings in canonical units
     * @param faults what the miner reports as failing, and replies that lacked what was expected
     */
    record Interpretation(DeviceIdentity identity, List<Reading> readings, List<String> faults) {}

    static Interpretation interpret(Map<String, JsonNode> replies, AntminerPoints points) {
        List<Reading> readings = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        DeviceIdentity identity = null;
        JsonNode stats = section(replies.get("stats"), "STATS");
        JsonNode summary = section(replies.get("summary"), "SUMMARY");
        if (replies.containsKey("stats")) {
            identity = identity(replies.get("stats"));
        }
        if (identity == null && replies.containsKey("summary")) {
            identity = identity(replies.get("summary"));
        }
        JsonNode totals = stats != null ? stats : summary;
        if (totals != null) {
            OptionalDouble scale = thsPerUnit(totals.path("rate_unit").asText("GH/s"));
            if (scale.isEmpty()) {
                faults.add("unknown rate_unit '" + totals.path("rate_unit").asText() + "': no hashrate read");
            } else {
                number(totals.get("rate_5s"))
                        .ifPresent(
                                v -> readings.add(Reading.of(MetricDictionary.HASHRATE, "", v * scale.getAsDouble())));
            }
        }
        if (stats != null) {
            chains(stats, readings, faults);
            fans(stats, readings);
            OptionalDouble watt = number(stats.get("watt"));
            if (watt.isPresent() && watt.getAsDouble() > 0) {
                readings.add(Reading.of(MetricDictionary.POWER, "", watt.getAsDouble()));
            }
        } else if (replies.containsKey("stats")) {
            faults.add("stats has no STATS[0]");
        }
        if (summary != null) {
            for (JsonNode item : summary.path("status")) {
                if (item.path("status").asText("").equalsIgnoreCase("e")) {
                    faults.add(item.path("type").asText("?") + ": "
                            + (item.path("msg").asText("").isEmpty()
                                    ? "error"
                                    : item.path("msg").asText())
                            + " (code " + item.path("code").asText("?") + ")");
                }
            }
        }
        JsonNode conf = replies.get("get_miner_conf");
        if (conf != null) {
            Mode mode = mode(conf, points);
            if (mode != null) {
                readings.add(Reading.of(MetricDictionary.MODE, "", mode.code()));
            }
        }
        return new Interpretation(identity, readings, faults);
    }

    /** The mode the configuration says, or null when its key is absent or the code is not in the profile. */
    static Mode mode(JsonNode conf, AntminerPoints points) {
        JsonNode value = conf.get(points.modeKey());
        if (value == null || !value.isValueNode() || value.isNull()) {
            return null;
        }
        return points.modes().get(value.asText().strip());
    }

    /** The work mode code as the configuration spells it, or empty. */
    static String modeCode(JsonNode conf, AntminerPoints points) {
        JsonNode value = conf.get(points.modeKey());
        return value == null || !value.isValueNode() || value.isNull()
                ? ""
                : value.asText().strip();
    }

    private static void chains(JsonNode stats, List<Reading> readings, List<String> faults) {
        OptionalDouble scale = thsPerUnit(stats.path("rate_unit").asText("GH/s"));
        for (JsonNode chain : stats.path("chain")) {
            OptionalDouble index = number(chain.get("index"));
            if (index.isEmpty() || index.getAsDouble() < 0 || index.getAsDouble() > 63) {
                faults.add("a chain without a usable index");
                continue;
            }
            String board = "board" + ((int) index.getAsDouble() + 1);
            if (scale.isPresent()) {
                number(chain.get("rate_real"))
                        .ifPresent(v ->
                                readings.add(Reading.of(MetricDictionary.HASHRATE, board, v * scale.getAsDouble())));
            }
            hottest(chain.get("temp_chip"))
                    .ifPresent(v -> readings.add(Reading.of(MetricDictionary.TEMPERATURE_CHIP, board, v)));
            hottest(chain.get("temp_pcb"))
                    .ifPresent(v -> readings.add(Reading.of(MetricDictionary.TEMPERATURE_BOARD, board, v)));
        }
    }

    private static void fans(JsonNode stats, List<Reading> readings) {
        JsonNode fans = stats.path("fan");
        int count = fans.size();
        OptionalDouble fanNum = number(stats.get("fan_num"));
        if (fanNum.isPresent()) {
            count = Math.min(count, (int) Math.max(0, fanNum.getAsDouble()));
        }
        for (int i = 0; i < count; i++) {
            int n = i + 1;
            number(fans.get(i)).ifPresent(v -> readings.add(Reading.of(MetricDictionary.FAN_SPEED, "fan" + n, v)));
        }
    }

    /** The highest sensor of an array, ignoring zeros (no sensor) and non-numbers. */
    private static OptionalDouble hottest(JsonNode sensors) {
        OptionalDouble best = OptionalDouble.empty();
        if (sensors == null || !sensors.isArray()) {
            return best;
        }
        for (JsonNode sensor : sensors) {
            OptionalDouble v = number(sensor);
            if (v.isPresent() && v.getAsDouble() != 0 && (best.isEmpty() || v.getAsDouble() > best.getAsDouble())) {
                best = v;
            }
        }
        return best;
    }

    /** {@code root.<name>[0]} (or {@code root.<name>} when the firmware sends an object), or null. */
    private static JsonNode section(JsonNode root, String name) {
        if (root == null) {
            return null;
        }
        JsonNode node = root.get(name);
        if (node != null && node.isArray()) {
            node = node.get(0);
        }
        return node != null && node.isObject() ? node : null;
    }

    private static DeviceIdentity identity(JsonNode root) {
        JsonNode info = root.path("INFO");
        String model = info.path("type").asText("").strip();
        if (model.isEmpty()) {
            return null;
        }
        String firmware = info.path("CompileTime").asText("").strip();
        return new DeviceIdentity(model, firmware.isEmpty() ? "stock" : "stock " + firmware);
    }

    /** TH/s per one {@code rate_unit}. */
    static OptionalDouble thsPerUnit(String unit) {
        switch (unit.strip().toUpperCase(Locale.ROOT)) {
            case "H/S":
                return OptionalDouble.of(1e-12);
            case "KH/S":
                return OptionalDouble.of(1e-9);
            case "MH/S":
                return OptionalDouble.of(1e-6);
            case "GH/S":
                return OptionalDouble.of(1e-3);
            case "TH/S":
                return OptionalDouble.of(1);
            case "PH/S":
                return OptionalDouble.of(1e3);
            default:
                return OptionalDouble.empty();
        }
    }

    /** A finite JSON number, or a string holding one; empty otherwise. */
    static OptionalDouble number(JsonNode node) {
        if (node == null) {
            return OptionalDouble.empty();
        }
        double value;
        if (node.isNumber()) {
            value = node.asDouble();
        } else if (node.isTextual()) {
            try {
                value = Double.parseDouble(node.asText().strip());
            } catch (NumberFormatException e) {
                return OptionalDouble.empty();
            }
        } else {
            return OptionalDouble.empty();
        }
        return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
    }

    /** The node at a profile path ({@code INFO.type}), or null. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (JsonPath.Step step : JsonPath.parse(path)) {
            if (node == null) {
                return null;
            }
            node = step.key() != null ? node.get(step.key()) : node.get(step.index());
        }
        return node;
    }
}
