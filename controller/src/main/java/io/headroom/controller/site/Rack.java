package io.headroom.controller.site;

import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.protocol.Topics;
import java.util.List;
import java.util.Optional;

/**
 * A rack and the devices in it.
 *
 * @param id node id, unique on the site
 * @param limitKw optional rack limit (busway tap, contract)
 * @param devices what is in it
 */
@Doc("A rack and the devices in it.")
public record Rack(
        @Doc("Node id, unique among the site's nodes.") String id,

        @Doc("Optional limit of the rack in kW.") @Range(min = "0.001")
        Optional<Double> limitKw,

        @Doc("Devices in the rack.") List<SiteDevice> devices) {

    public Rack {
        Topics.requireValidId(id, "id");
        devices = List.copyOf(devices);
    }
}
