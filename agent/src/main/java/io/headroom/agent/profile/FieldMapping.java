package io.headroom.agent.profile;

import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.MetricType;
import java.util.Map;
import java.util.Objects;

/**
 * A metric read as a plain value at a JSON path of one command's reply.
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
        String metric, String instance, String command, String path, double scale, Map<String, Mode> states) {

    public FieldMapping {
        MetricDictionary.require(metric);
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
            throw new IllegalArgumentException("states: required for state metric '" + metric
                    + "' and not allowed otherwise");
        }
    }
}
