package io.headroom.agent.driver.cgminer;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.MetricType;
import java.util.Map;
import java.util.Objects;

/**
 * A metric read as a plain value at a JSON path of one command's reply ({@code points.fields[]} of a
 * cgminer profile).
 *
 * <p>Numeric fields: a JSON number or a string starting with a number ({@code "3250 W"}), times
 * {@code scale}. State fields ({@code states} not empty): the text is looked up in {@code states};
 * text not listed is unknown and yields no reading (never a guessed mode).
 *
 * @param metric canonical metric name
 * @param instance instance, empty for the device total
 * @param command the read command whose reply holds the value
 * @param path JSON path, e.g. {@code POWER[0].Watts}
 * @param scale factor from the device's unit to the canonical unit
 * @param states device text → mode, for state metrics
 */
public record FieldMapping(
        @Doc("Canonical metric name.") String metric,

        @Doc("Instance (board1, fan3); empty for the device total.") @Default("")
        String instance,

        @Doc("Read command whose reply holds the value; one of points.reads.")
        String command,

        @Doc("JSON path in that reply, e.g. POWER[0].Watts.")
        String path,

        @Doc("Factor from the device's unit to the canonical unit.") @Default("1")
        double scale,

        @Doc("Device text → mode (normal, sleep, low-power, high-power), for state metrics.")
        Map<String, Mode> states) {

    public FieldMapping {
        if (MetricDictionary.find(metric) == null) {
            throw new IllegalArgumentException("metric: unknown metric '" + metric + "'");
        }
        Objects.requireNonNull(instance, "instance");
        if (!MetricDictionary.isValidInstance(instance)) {
            throw new IllegalArgumentException("instance: '" + instance + "' must be [a-z0-9_-]{0,32}");
        }
        Objects.requireNonNull(command, "command");
        JsonPath.requireValid(path, "path");
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("scale: must be a non-zero number");
        }
        states = Map.copyOf(states);
        boolean stateMetric = MetricDictionary.require(metric).type() == MetricType.METRIC_TYPE_STATE;
        if (stateMetric != !states.isEmpty()) {
            throw new IllegalArgumentException(
                    "states: required for state metric '" + metric + "' and not allowed otherwise");
        }
    }
}
