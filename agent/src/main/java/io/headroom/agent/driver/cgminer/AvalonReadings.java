package io.headroom.agent.driver.cgminer;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code avalon} board decoder: readings from the Avalon status string (reference/DEVICES.md §4.7).
 *
 * <table>
 *   <caption>mapping</caption>
 *   <tr><td>{@code power}</td><td>{@code WALLPOWER} (W at the wall)</td></tr>
 *   <tr><td>{@code power.target}</td><td>{@code MPO} (the power limit)</td></tr>
 *   <tr><td>{@code hashrate}</td><td>{@code GHSspd} (else {@code GHSavg}) GH/s → TH/s; per board {@code MGHS[]}</td></tr>
 *   <tr><td>{@code temperature.chip}</td><td>{@code TMax}; per board {@code MTmax[]}; zero is no sensor</td></tr>
 *   <tr><td>{@code temperature.inlet}</td><td>{@code Temp} (ambient; {@code ITemp} on Avalon Q)</td></tr>
 *   <tr><td>{@code fan.speed}</td><td>{@code Fan1..n} → {@code fan1..n}</td></tr>
 *   <tr><td>{@code mode}</td><td>{@code SoftOFF} ≠ 0 → sleep, else {@code WORKMODE} through the profile's work modes</td></tr>
 * </table>
 */
final class AvalonReadings {

    /** Device-total metrics this decoder can give (what a read-back may use). */
    static final Set<String> METRICS = Set.of(
            MetricDictionary.POWER,
            MetricDictionary.POWER_TARGET,
            MetricDictionary.HASHRATE,
            MetricDictionary.TEMPERATURE_CHIP,
            MetricDictionary.TEMPERATURE_INLET,
            MetricDictionary.MODE);

    private static final String MM_KEY = "MM ID0";
    private static final Pattern FAN = Pattern.compile("Fan(\\d{1,2})");

    private AvalonReadings() {}

    /**
     * The status string of the first module in an {@code estats}/{@code stats} reply: {@code STATS[*]."MM ID0"}
     * or {@code "MM ID0:Summary"}; empty when the reply has none (a controller without modules).
     *
     * @throws AvalonStatusException when the string is truncated or malformed
     */
    static Optional<AvalonStatus> status(JsonNode reply) throws AvalonStatusException {
        JsonNode stats = reply == null ? null : reply.get("STATS");
        if (stats == null || !stats.isArray()) {
            return Optional.empty();
        }
        for (JsonNode element : stats) {
            if (!element.isObject()) {
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = element.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                if ((name.equals(MM_KEY) || name.startsWith(MM_KEY + ":"))
                        && field.getValue().isTextual()) {
                    return Optional.of(AvalonStatus.parse(field.getValue().asText()));
                }
            }
        }
        return Optional.empty();
    }

    /** Adds the readings of one status string; {@code put} keeps the first value per metric and instance. */
    static void read(AvalonStatus s, AvalonPoints points, Sink put) {
        s.number("WALLPOWER").ifPresent(v -> put.put(MetricDictionary.POWER, "", v));
        s.number("MPO").ifPresent(v -> put.put(MetricDictionary.POWER_TARGET, "", v));
        OptionalDouble ghs = s.number("GHSspd");
        if (ghs.isEmpty()) {
            ghs = s.number("GHSavg");
        }
        ghs.ifPresent(v -> put.put(MetricDictionary.HASHRATE, "", v / 1000));
        List<Double> boards = s.numbers("MGHS");
        for (int b = 0; b < boards.size() && b < 99; b++) {
            double v = boards.get(b);
            if (!Double.isNaN(v)) {
                put.put(MetricDictionary.HASHRATE, "board" + (b + 1), v / 1000);
            }
        }
        s.number("TMax").ifPresent(v -> {
            if (v != 0) {
                put.put(MetricDictionary.TEMPERATURE_CHIP, "", v);
            }
        });
        List<Double> boardMax = s.numbers("MTmax");
        for (int b = 0; b < boardMax.size() && b < 99; b++) {
            double v = boardMax.get(b);
            if (!Double.isNaN(v) && v != 0) {
                put.put(MetricDictionary.TEMPERATURE_CHIP, "board" + (b + 1), v);
            }
        }
        OptionalDouble inlet = s.number("Temp");
        if (inlet.isEmpty()) {
            inlet = s.number("ITemp");
        }
        inlet.ifPresent(v -> put.put(MetricDictionary.TEMPERATURE_INLET, "", v));
        for (Map.Entry<String, String> entry : s.values().entrySet()) {
            Matcher m = FAN.matcher(entry.getKey());
            if (m.matches() && Integer.parseInt(m.group(1)) > 0) {
                s.number(entry.getKey()).ifPresent(v -> put.put(MetricDictionary.FAN_SPEED, "fan" + m.group(1), v));
            }
        }
        mode(s, points).ifPresent(mode -> put.put(MetricDictionary.MODE, "", mode.code()));
    }

    /** Sleep when {@code SoftOFF} is non-zero, else the profile's mode for {@code WORKMODE}; empty when unknown. */
    static Optional<Mode> mode(AvalonStatus s, AvalonPoints points) {
        OptionalDouble softOff = s.number("SoftOFF");
        if (softOff.isEmpty()) {
            return Optional.empty();
        }
        if (softOff.getAsDouble() != 0) {
            return Optional.of(Mode.SLEEP);
        }
        Optional<String> workMode = s.text("WORKMODE");
        if (workMode.isEmpty()) {
            return Optional.of(Mode.NORMAL);
        }
        return Optional.ofNullable(points.workModes().get(workMode.get()));
    }

    /** Where readings go. */
    @FunctionalInterface
    interface Sink {
        void put(String metric, String instance, double value);
    }

    /** For tests: the readings of one status string alone. */
    static List<Reading> readAll(AvalonStatus s, AvalonPoints points) {
        java.util.Map<String, Reading> byKey = new java.util.LinkedHashMap<>();
        read(
                s,
                points,
                (metric, instance, value) -> byKey.putIfAbsent(
                        MetricDictionary.displayKey(metric, instance), Reading.of(metric, instance, value)));
        return List.copyOf(byKey.values());
    }
}
