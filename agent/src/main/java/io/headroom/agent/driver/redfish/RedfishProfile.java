package io.headroom.agent.driver.redfish;

import java.util.List;
import java.util.Objects;

/**
 * A redfish profile's driver-specific parts, compiled once per profile.
 *
 * @param points what a poll reads and how the power limit is written
 * @param match how the device is recognised; any rule that holds identifies it
 */
public record RedfishProfile(RedfishPoints points, List<RedfishMatch> match) {
    public RedfishProfile {
        Objects.requireNonNull(points, "points");
        match = List.copyOf(match);
        if (match.isEmpty()) {
            throw new IllegalArgumentException("match: a redfish profile needs at least one rule");
        }
    }
}
