package io.headroom.agent.driver.antminer;

import java.util.List;
import java.util.Objects;

/**
 * An {@code antminer-web} profile compiled once: its points and match rules.
 *
 * @param points mode keys, codes and controls
 * @param match how a reply identifies the firmware
 */
public record AntminerProfile(AntminerPoints points, List<AntminerMatch> match) {
    public AntminerProfile {
        Objects.requireNonNull(points, "points");
        match = List.copyOf(match);
    }
}
