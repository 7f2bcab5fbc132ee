package io.headroom.controller.site;

import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.protocol.Topics;
import java.util.List;
import java.util.Optional;

/**
 * A utility feed (transformer, service entrance) of the site.
 *
 * @param id node id, unique on the site
 * @param limitKw the feed's own limit (transformer rating); none when only the site limit applies
 * @param meter the feed's revenue or facility meter
 * @param pdus PDUs or panels on the feed
 */
@Doc("A utility feed: its limit, its meter and the PDUs on it.")
public record Feed(
        @Doc("Node id, unique among the site's nodes.") String id,

        @Doc("The feed's own limit in kW (transformer rating).") @Range(min = "0.001")
        Optional<Double> limitKw,

        @Doc("Meter measuring the feed.") Optional<MeterRef> meter,
        @Doc("PDUs or panels on the feed.") List<Pdu> pdus) {

    public Feed {
        Topics.requireValidId(id, "id");
        pdus = List.copyOf(pdus);
    }
}
