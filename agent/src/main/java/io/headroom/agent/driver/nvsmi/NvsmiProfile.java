package io.headroom.agent.driver.nvsmi;

import java.util.List;
import java.util.Objects;

/**
 * An nvidia-smi profile's driver-specific parts, compiled once per profile.
 *
 * @param points what the XML means and where the power limits are
 * @param match how an output identifies the family
 */
public record NvsmiProfile(NvsmiPoints points, List<NvsmiMatch> match) {
    public NvsmiProfile {
        Objects.requireNonNull(points, "points");
        match = List.copyOf(match);
    }

    boolean identifies(NvsmiLog log) {
        return match.stream().anyMatch(rule -> rule.matches(log));
    }
}
