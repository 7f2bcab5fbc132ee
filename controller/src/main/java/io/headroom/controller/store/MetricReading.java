package io.headroom.controller.store;

import io.headroom.protocol.wire.Quality;
import java.time.Instant;
import java.util.Objects;

/**
 * The latest value of one metric of one device.
 *
 * @param value always finite
 * @param unit the dictionary unit
 * @param at when the agent sampled it (agent clock)
 * @param quality as the agent judged it
 */
public record MetricReading(double value, String unit, Instant at, Quality quality) {

    public MetricReading {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value: must be finite, was " + value);
        }
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(quality, "quality");
    }
}
