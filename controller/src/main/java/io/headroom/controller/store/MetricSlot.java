package io.headroom.controller.store;

import io.headroom.protocol.MetricDictionary;
import java.util.Objects;

/**
 * One metric a device declared in its birth: a canonical name, an optional instance and the unit.
 *
 * @param name canonical name from {@link MetricDictionary}
 * @param instance which one of several ({@code board1}); empty for the device total
 * @param unit the dictionary unit
 */
public record MetricSlot(String name, String instance, String unit) {

    public MetricSlot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(unit, "unit");
    }

    /** The API key, e.g. {@code temperature.chip[board1]}. */
    public String displayKey() {
        return MetricDictionary.displayKey(name, instance);
    }
}
