package io.headroom.agent.driver.dcgm;

import java.util.List;
import java.util.Objects;

/**
 * A dcgm profile's driver-specific parts, compiled once per profile.
 *
 * @param points what the exposition means
 * @param match how an exposition identifies the family
 */
public record DcgmProfile(DcgmPoints points, List<DcgmMatch> match) {
    public DcgmProfile {
        Objects.requireNonNull(points, "points");
        match = List.copyOf(match);
    }

    /** Whether any match rule holds for the exposition. */
    public boolean identifies(PromExposition exposition) {
        return match.stream().anyMatch(rule -> rule.matches(exposition));
    }
}
