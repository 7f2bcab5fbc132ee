package io.headroom.controller.site;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.controller.grid.GridScheduleEntry;
import io.headroom.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code site.yaml} as written, bound by {@link SiteLoader}; the loader checks what one record cannot
 * (unique ids, references, classes) and turns it into a {@link SiteModel}. Keys in
 * {@code docs/site-model.md}.
 *
 * @param site id of the site's root node
 * @param limitKw the interconnect limit
 * @param meter the site's own (revenue) meter
 * @param staleAfter how old a reading may be and still count as live
 * @param classes priority classes besides (or redeclaring) {@code ai-contract} and {@code hashing}
 * @param feeds the utility feeds
 * @param zones cooling zones
 * @param gridSchedule recurring grid events (e.g. 4CP windows); see {@code docs/grid-events.md}
 */
@Doc("Headroom site model (site.yaml): limits from the interconnect down to each device.")
public record SiteFile(
        @Doc("Id of the site's root node.") String site,

        @Doc("Interconnect limit of the site in kW.") @Range(min = "0.001")
        double limitKw,

        @Doc("Meter measuring the whole site.") Optional<MeterRef> meter,

        @Doc("How old a power reading may be and still count as live.") @Default("30s") @Range(min = "1s", max = "1h")
        Duration staleAfter,

        @Doc(
                "Priority classes besides hashing (interruptible), ai-flex (capped to a floor), ai-contract (must run) and auxiliary (never curtailed).")
        Map<String, PriorityClass> classes,

        @Doc("Utility feeds.") List<Feed> feeds,
        @Doc("Cooling zones.") List<CoolingZone> zones,

        @Doc("Recurring grid events, e.g. 4CP peak windows.")
        List<GridScheduleEntry> gridSchedule) {

    public SiteFile {
        Topics.requireValidId(site, "site");
        classes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(classes));
        feeds = List.copyOf(feeds);
        zones = List.copyOf(zones);
        gridSchedule = List.copyOf(gridSchedule);
        java.util.Set<String> references = new java.util.HashSet<>();
        for (GridScheduleEntry entry : gridSchedule) {
            if (!references.add(entry.reference())) {
                throw new IllegalArgumentException("grid-schedule: reference '" + entry.reference()
                        + "' is used twice; each window needs its own");
            }
        }
    }
}
