package io.headroom.agent.driver.redfish;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.MetricType;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One metric of every row of a {@link RedfishTable}: a number times {@code scale}, or, for a state
 * metric, the device's text looked up in {@code states} ({@code On: on} for an outlet's
 * {@code PowerState}, {@code Critical: critical} for a leak detector's {@code DetectorState}). Text the
 * states do not list (an outlet {@code PoweringOn}) yields no reading, never a guessed one, as for an
 * SNMP state.
 *
 * @param metric canonical metric name (a gauge or counter; a state metric with {@code states})
 * @param path field path in the row
 * @param scale factor from the device's unit to the canonical unit
 * @param states device text → state name of the metric, for a state metric
 */
public record RedfishColumn(
        @Doc("Canonical metric name.") String metric,

        @Doc("Field path in the row, e.g. ReadingCelsius.") String path,

        @Doc("Factor from the device's unit to the canonical unit.") @Default("1")
        double scale,

        @Doc("Device text → state name, for a state metric, e.g. {On: on, Off: off}.")
        Map<String, String> states) {

    public RedfishColumn {
        Objects.requireNonNull(path, "path");
        RedfishPaths.requireField(path, "path");
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("scale: must be a non-zero number");
        }
        states = Map.copyOf(states);
        requireMetric(metric, states);
    }

    /** A numeric column. */
    public RedfishColumn(String metric, String path, double scale) {
        this(metric, path, scale, Map.of());
    }

    /** True for a state column: its values are text. */
    boolean isState() {
        return !states.isEmpty();
    }

    /** The state code of a device text, or empty when the states do not list it. */
    OptionalDouble state(String text) {
        String state = states.get(text);
        if (state == null) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(MetricDictionary.stateCode(metric, state).orElseThrow());
    }

    /**
     * Refuses unknown metrics, a state metric without states, states of a metric that has none, and
     * state names the metric does not know.
     */
    static void requireMetric(String metric, Map<String, String> states) {
        Objects.requireNonNull(metric, "metric");
        io.headroom.protocol.MetricDescriptor known = MetricDictionary.find(metric);
        if (known == null) {
            throw new IllegalArgumentException("metric: unknown metric '" + metric + "'");
        }
        boolean stateMetric = known.type() == MetricType.METRIC_TYPE_STATE;
        if (stateMetric && states.isEmpty()) {
            throw new IllegalArgumentException("metric: '" + metric + "' is a state metric; give states: {text: "
                    + String.join("|", MetricDictionary.stateNames(metric)) + "}");
        }
        if (!stateMetric && !states.isEmpty()) {
            throw new IllegalArgumentException("states: '" + metric + "' is not a state metric");
        }
        for (Map.Entry<String, String> entry : states.entrySet()) {
            if (MetricDictionary.stateCode(metric, entry.getValue()).isEmpty()) {
                throw new IllegalArgumentException("states: '" + entry.getValue() + "' is not a state of " + metric
                        + " (" + String.join(", ", MetricDictionary.stateNames(metric)) + ")");
            }
        }
    }

    /** Refuses unknown metrics and state metrics (a single field is a number). */
    static void requireNumericMetric(String metric) {
        Objects.requireNonNull(metric, "metric");
        io.headroom.protocol.MetricDescriptor known = MetricDictionary.find(metric);
        if (known == null) {
            throw new IllegalArgumentException("metric: unknown metric '" + metric + "'");
        }
        if (known.type() == MetricType.METRIC_TYPE_STATE) {
            throw new IllegalArgumentException(
                    "metric: '" + metric + "' is a state metric; read it in a table column with states");
        }
    }
}
