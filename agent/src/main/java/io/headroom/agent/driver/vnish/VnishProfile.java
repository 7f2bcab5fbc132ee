package io.headroom.agent.driver.vnish;

import java.util.List;
import java.util.Objects;

/**
 * A {@code vnish} profile compiled once: its points and match rules.
 *
 * @param points hashrate choice and the untuned-preset rule
 * @param match how a reply identifies the firmware
 */
public record VnishProfile(VnishPoints points, List<VnishMatch> match) {
    public VnishProfile {
        Objects.requireNonNull(points, "points");
        match = List.copyOf(match);
    }
}
