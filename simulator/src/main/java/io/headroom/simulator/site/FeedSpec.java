package io.headroom.simulator.site;

import java.util.List;
import java.util.Objects;

/**
 * One electrical feed of a {@link SitePower}: the racks whose PDUs it supplies (what a feed meter measures).
 *
 * @param id    feed id, e.g. {@code feed-1}
 * @param racks ids of the racks on this feed
 */
public record FeedSpec(String id, List<String> racks) {
    public FeedSpec {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id: must not be empty");
        }
        racks = List.copyOf(racks);
        if (racks.isEmpty()) {
            throw new IllegalArgumentException("racks: feed " + id + " supplies no rack");
        }
    }
}
