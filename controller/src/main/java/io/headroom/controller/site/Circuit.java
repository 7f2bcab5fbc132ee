package io.headroom.controller.site;

import io.headroom.config.Doc;
import io.headroom.protocol.Topics;
import java.util.List;
import java.util.Optional;

/**
 * A branch circuit of a PDU, with its own breaker, feeding racks.
 *
 * @param id node id, unique on the site
 * @param breaker gives the circuit's limit
 * @param meter a device measuring this circuit
 * @param racks fed by this circuit
 */
@Doc("A branch circuit of a PDU: its breaker and the racks it feeds.")
public record Circuit(
        @Doc("Node id, unique among the site's nodes.") String id,
        Breaker breaker,

        @Doc("Device whose power metric measures this circuit.")
        Optional<MeterRef> meter,

        @Doc("Racks fed by this circuit.") List<Rack> racks) {

    public Circuit {
        Topics.requireValidId(id, "id");
        racks = List.copyOf(racks);
    }
}
