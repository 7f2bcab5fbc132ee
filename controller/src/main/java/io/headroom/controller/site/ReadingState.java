package io.headroom.controller.site;

import java.util.Locale;

/**
 * How far a power reading can be trusted; the API shows it next to the {@link PowerSource} so that
 * a figure from the nameplate says why.
 */
public enum ReadingState {
    /** Quality good, inside the plausible range, younger than {@code stale-after}, device not STALE or OFFLINE. */
    LIVE,
    /** Plausible, but old or from a device that is STALE or OFFLINE: counts as last known. */
    STALE,
    /** Quality bad or uncertain, or outside the metric's plausible range: not used at all. */
    IMPLAUSIBLE,
    /** No reading (device or metric never reported). */
    NONE;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }
}
