package io.headroom.agent.profile;

import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import java.util.Objects;

/**
 * How a control is confirmed: the device-total {@code metric} (read through its field mapping)
 * must show {@code expect} after the write.
 *
 * @param metric canonical metric read back, e.g. {@code mode}
 * @param expect the mode the device must report
 */
public record ReadBack(String metric, Mode expect) {
    public ReadBack {
        MetricDictionary.require(metric);
        Objects.requireNonNull(expect, "expect");
    }
}
