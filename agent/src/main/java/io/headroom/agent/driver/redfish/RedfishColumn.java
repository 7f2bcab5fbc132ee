package io.headroom.agent.driver.redfish;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.MetricType;
import java.util.Objects;

/**
 * One metric of every row of a {@link RedfishTable}.
 *
 * @param metric canonical metric name (a gauge or counter)
 * @param path field path in the row
 * @param scale factor from the device's unit to the canonical unit
 */
public record RedfishColumn(
        @Doc("Canonical metric name.") String metric,

        @Doc("Field path in the row, e.g. ReadingCelsius.") String path,

        @Doc("Factor from the device's unit to the canonical unit.") @Default("1")
        double scale) {

    public RedfishColumn {
        requireNumericMetric(metric);
        Objects.requireNonNull(path, "path");
        RedfishPaths.requireField(path, "path");
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("scale: must be a non-zero number");
        }
    }

    /** Refuses unknown metrics and state metrics (a Redfish reading is a number). */
    static void requireNumericMetric(String metric) {
        Objects.requireNonNull(metric, "metric");
        io.headroom.protocol.MetricDescriptor known = MetricDictionary.find(metric);
        if (known == null) {
            throw new IllegalArgumentException("metric: unknown metric '" + metric + "'");
        }
        if (known.type() == MetricType.METRIC_TYPE_STATE) {
            throw new IllegalArgumentException("metric: '" + metric + "' is a state metric; redfish reads numbers");
        }
    }
}
