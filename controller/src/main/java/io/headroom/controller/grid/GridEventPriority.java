package io.headroom.controller.grid;

import java.util.Locale;
import java.util.Optional;

/** How fast a grid event's target applies: on a ramp ({@code normal}) or at once ({@code emergency}). */
public enum GridEventPriority {
    /** The target ramps down from the site's load at the start; see {@link GridEventBook#activeTarget}. */
    NORMAL,
    /** The final target applies from the first tick of the event. */
    EMERGENCY;

    /** The spelling in JSON and {@code site.yaml}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The priority spelled {@code text}, or empty. */
    public static Optional<GridEventPriority> parse(String text) {
        for (GridEventPriority priority : values()) {
            if (priority.wireName().equals(text)) {
                return Optional.of(priority);
            }
        }
        return Optional.empty();
    }
}
