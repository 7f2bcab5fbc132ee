package io.headroom.protocol;

import io.headroom.protocol.wire.MetricType;
import java.util.Objects;

/**
 * One canonical metric: its name, unit and type, and the plausible range a reading must fall in
 * before it is trusted as {@code QUALITY_GOOD}.
 *
 * @param name lowercase, dot-separated, e.g. {@code temperature.chip}
 * @param unit the one unit this metric is always expressed in, e.g. {@code °C}
 * @param type gauge, counter or state
 * @param plausibleMin lowest physically plausible value
 * @param plausibleMax highest physically plausible value
 * @param description one line for humans and the generated docs
 */
public record MetricDescriptor(
        String name, String unit, MetricType type, double plausibleMin, double plausibleMax, String description) {

    public MetricDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (!(plausibleMin <= plausibleMax)) {
            throw new IllegalArgumentException("plausibleMin must not exceed plausibleMax for " + name);
        }
    }

    /** True if {@code value} is finite and inside the plausible range. */
    public boolean isPlausible(double value) {
        return Double.isFinite(value) && value >= plausibleMin && value <= plausibleMax;
    }
}
