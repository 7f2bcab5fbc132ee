package io.headroom.profiles;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.Optional;

/**
 * How a command is confirmed: by reading a metric back after the settle time.
 *
 * @param metric canonical metric that shows the command took effect ({@code mode}, {@code power.target})
 * @param expect for state metrics: the state the metric must show ({@code sleep}); absent for values,
 *     where the read-back must equal the command's value within {@code tolerance}
 * @param tolerance how far a value read back may be from the commanded one, in the metric's unit
 */
public record ReadBack(
        @Doc("Canonical metric read back to confirm the command, e.g. mode or power.target.")
        String metric,

        @Doc("State the metric must show afterwards (state metrics only), e.g. sleep.")
        Optional<String> expect,

        @Doc("Largest difference between the value read back and the commanded value, in the metric's unit.")
        @Default("0")
        double tolerance) {

    public ReadBack {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric: must name a metric");
        }
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("tolerance: must be a finite number ≥ 0");
        }
    }
}
