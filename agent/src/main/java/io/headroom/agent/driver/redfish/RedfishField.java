package io.headroom.agent.driver.redfish;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.protocol.MetricDictionary;
import java.util.Objects;

/**
 * A metric read as one value of one resource ({@code points.fields[]} of a redfish profile).
 *
 * @param metric canonical metric name
 * @param instance instance, empty for the device total
 * @param resource resource below {@code /redfish/v1}, e.g. {@code Chassis/{chassis}/EnvironmentMetrics}
 * @param path field path in it, e.g. {@code PowerWatts.Reading}
 * @param scale factor from the device's unit to the canonical unit
 */
public record RedfishField(
        @Doc("Canonical metric name.") String metric,

        @Doc("Instance; empty for the device total.") @Default("")
        String instance,

        @Doc("Resource below /redfish/v1, e.g. Chassis/{chassis}/EnvironmentMetrics.")
        String resource,

        @Doc("Field path in it, e.g. PowerWatts.Reading.") String path,

        @Doc("Factor from the device's unit to the canonical unit.") @Default("1")
        double scale) {

    public RedfishField {
        RedfishColumn.requireNumericMetric(metric);
        Objects.requireNonNull(instance, "instance");
        if (!MetricDictionary.isValidInstance(instance)) {
            throw new IllegalArgumentException("instance: '" + instance + "' must be [a-z0-9_-]{0,32}");
        }
        Objects.requireNonNull(resource, "resource");
        RedfishPaths.requireResource(resource, "resource");
        Objects.requireNonNull(path, "path");
        RedfishPaths.requireField(path, "path");
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("scale: must be a non-zero number");
        }
    }
}
