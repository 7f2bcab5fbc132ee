package io.headroom.agent.driver.cgminer;

import java.util.List;
import java.util.Objects;

/**
 * A cgminer profile's driver-specific parts, compiled once per profile: its points and its match
 * rules.
 *
 * @param points what a poll reads and what each capability sends
 * @param match how a reply identifies the firmware; the first rule is the one polls read
 */
public record CgminerProfile(CgminerPoints points, List<CgminerMatch> match) {
    public CgminerProfile {
        Objects.requireNonNull(points, "points");
        match = List.copyOf(match);
        if (match.isEmpty()) {
            throw new IllegalArgumentException("match: a cgminer profile needs at least one rule");
        }
    }

    /** The rule polls read identity from. */
    public CgminerMatch identify() {
        return match.get(0);
    }
}
