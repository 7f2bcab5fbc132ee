package io.headroom.agent.driver.whatsminer;

import java.util.List;
import java.util.Objects;

/**
 * A whatsminer profile compiled once: its points and match rules.
 *
 * @param points the API and power method
 * @param match how a reply identifies the firmware
 */
public record WhatsminerProfile(WhatsminerPoints points, List<WhatsminerMatch> match) {
    public WhatsminerProfile {
        Objects.requireNonNull(points, "points");
        match = List.copyOf(match);
    }

    public WhatsminerApi api() {
        return points.api();
    }
}
