package io.headroom.controller.site;

import io.headroom.config.Doc;
import io.headroom.protocol.Topics;
import java.util.List;
import java.util.Optional;

/**
 * A PDU (or panel) on a feed: its input breaker, and either branch circuits or racks directly.
 *
 * @param id node id, unique on the site
 * @param breaker the input breaker; gives the PDU's limit
 * @param meter the PDU's own metering (its total {@code power}), whose per-outlet readings meter
 *     the devices that name an {@code outlet}
 * @param circuits branch circuits, each with its own breaker
 * @param racks racks fed straight from the PDU
 */
@Doc("A PDU or panel: its input breaker, its metering, and its circuits or racks.")
public record Pdu(
        @Doc("Node id, unique among the site's nodes.") String id,
        Breaker breaker,

        @Doc("The PDU as a device: its power metric measures the PDU, power[outlet] its devices.")
        Optional<MeterRef> meter,

        @Doc("Branch circuits, each with its own breaker.") List<Circuit> circuits,
        @Doc("Racks fed straight from the PDU.") List<Rack> racks) {

    public Pdu {
        Topics.requireValidId(id, "id");
        circuits = List.copyOf(circuits);
        racks = List.copyOf(racks);
    }
}
