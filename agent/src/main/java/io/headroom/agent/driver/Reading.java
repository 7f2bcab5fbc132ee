package io.headroom.agent.driver;

import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.Quality;
import java.util.Objects;

/**
 * One value read from a device, already in the canonical metric's unit.
 *
 * @param metric canonical name from {@link MetricDictionary}
 * @param instance which board/fan, or empty for the device total
 * @param value finite value in the metric's unit
 * @param quality {@code QUALITY_UNCERTAIN} when outside the plausible range
 */
public record Reading(String metric, String instance, double value, Quality quality) {

    public Reading {
        MetricDictionary.require(metric);
        Objects.requireNonNull(instance, "instance");
        if (!MetricDictionary.isValidInstance(instance)) {
            throw new IllegalArgumentException("instance: '" + instance + "' must be [a-z0-9_-]{0,32}");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value: must be finite for " + metric);
        }
        Objects.requireNonNull(quality, "quality");
    }

    /** A reading whose quality follows the dictionary's plausible range. */
    public static Reading of(String metric, String instance, double value) {
        Quality quality =
                MetricDictionary.require(metric).isPlausible(value) ? Quality.QUALITY_GOOD : Quality.QUALITY_UNCERTAIN;
        return new Reading(metric, instance, value, quality);
    }
}
