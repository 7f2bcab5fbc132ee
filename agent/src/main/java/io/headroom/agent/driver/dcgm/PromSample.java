package io.headroom.agent.driver.dcgm;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One sample line of a Prometheus text exposition.
 *
 * @param name metric name, e.g. {@code DCGM_FI_DEV_POWER_USAGE}
 * @param labels label name → unescaped value, in the order written
 * @param value the value as written, parsed ({@code NaN} and infinities included)
 * @param text the value exactly as written, for sentinels that a double cannot tell apart
 * @param timestampMs the optional time stamp, milliseconds since the epoch
 * @param line the line number in the body, for messages
 */
public record PromSample(
        String name, Map<String, String> labels, double value, String text, OptionalLong timestampMs, int line) {
    public PromSample {
        Objects.requireNonNull(name, "name");
        labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(timestampMs, "timestampMs");
    }

    /** A label's value, or empty when the sample has no such label. */
    public String label(String label) {
        return labels.getOrDefault(label, "");
    }
}
