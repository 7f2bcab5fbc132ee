package io.headroom.agent.driver.dcgm;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.util.List;

/**
 * The {@code points:} section of a dcgm profile: where the exposition is and what it means.
 *
 * @param defaultPort dcgm-exporter's port when the device's config names none
 * @param path the exposition's path
 * @param fields field → metric mappings; for one metric and instance the first field with a value
 *     wins, so a profile lists its preferred source first
 * @param degradedWhen fields whose values make the device DEGRADED
 * @param modelLabel the label naming the GPU model, for the device's identity
 * @param driverLabel the label naming the driver version (dcgm-exporter's {@code DCGM_FI_DRIVER_VERSION}
 *     label field), for the identity's firmware; absent labels leave it empty
 */
public record DcgmPoints(
        @Doc("dcgm-exporter's port when the device's config names none.")
        @Default("9400")
        @Range(min = "1", max = "65535")
        int defaultPort,

        @Doc("Path of the exposition.") @Default("/metrics") String path,

        @Doc("Field → metric mappings; the first field with a value wins for a metric and instance.")
        List<DcgmField> fields,

        @Doc("Fields whose values make the device DEGRADED (XID errors, throttle bits).")
        List<DcgmCondition> degradedWhen,

        @Doc("Label naming the GPU model.") @Default("modelName")
        String modelLabel,

        @Doc("Label naming the driver version.") @Default("DCGM_FI_DRIVER_VERSION")
        String driverLabel) {

    public DcgmPoints {
        if (!path.startsWith("/") || path.contains(" ") || path.contains("#")) {
            throw new IllegalArgumentException("path: '" + path + "' must be an absolute URL path");
        }
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("fields: map at least one field to a metric");
        }
        degradedWhen = List.copyOf(degradedWhen);
    }
}
