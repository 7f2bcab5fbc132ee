package io.headroom.agent.driver.redfish;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code points:} section of a redfish profile: which resources a poll reads, what each value
 * means, and how the power limit is written. Checked against the capabilities by
 * {@link RedfishDriverFactory#compile}.
 *
 * @param defaultChassis chassis id of {@code {chassis}} when the device's config names none
 * @param fields single values
 * @param tables values per instance
 * @param powerLimit how {@code set-power-cap} is sent, when the profile has it
 * @param outlets where the switched outlets are, when the profile switches them
 */
public record RedfishPoints(
        @Doc("Chassis id of {chassis} (a PDU's or CDU's id) when the device's config names none.") @Default("1")
        String defaultChassis,

        @Doc("Single values: {metric, instance?, resource, path, scale?}.")
        List<RedfishField> fields,

        @Doc("Values per instance, from an array or a collection's members.")
        List<RedfishTable> tables,

        @Doc("How set-power-cap is sent: {style: control|legacy, resource}.")
        Optional<RedfishPowerLimit> powerLimit,

        @Doc("Where the switched outlets are, for outlet-on/off/cycle: {resource}.")
        Optional<RedfishOutlets> outlets) {

    public RedfishPoints {
        RedfishPaths.requireSegment(defaultChassis, "default-chassis");
        fields = List.copyOf(fields);
        tables = List.copyOf(tables);
        java.util.Objects.requireNonNull(powerLimit, "powerLimit");
        java.util.Objects.requireNonNull(outlets, "outlets");
        if (fields.isEmpty() && tables.isEmpty()) {
            throw new IllegalArgumentException("fields: a redfish profile reads at least one field or table");
        }
    }

    /** Every resource a poll reads (tables' collections included), each once, in order. */
    Set<String> resources() {
        Set<String> resources = new LinkedHashSet<>();
        fields.forEach(f -> resources.add(f.resource()));
        tables.forEach(t -> resources.add(t.resource()));
        return resources;
    }

    /** The device-total field of a metric, if there is one. */
    Optional<RedfishField> field(String metric) {
        return fields.stream()
                .filter(f -> f.metric().equals(metric) && f.instance().isEmpty())
                .findFirst();
    }
}
