package io.headroom.agent.driver.braiins;

import java.util.List;
import java.util.Objects;

/**
 * A {@code braiins} profile compiled once: its points and match rules.
 *
 * @param points hashrate window and error horizon
 * @param match how a reply identifies the firmware
 */
public record BraiinsProfile(BraiinsPoints points, List<BraiinsMatch> match) {
    public BraiinsProfile {
        Objects.requireNonNull(points, "points");
        match = List.copyOf(match);
    }
}
