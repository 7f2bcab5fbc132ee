package io.headroom.controller.site;

import io.headroom.config.Doc;
import io.headroom.protocol.Topics;

/**
 * A device whose {@code power} metric measures a node: a revenue meter on a feed, a PDU's input on a
 * PDU or circuit. Named like every device: the agent that reports it and its device id.
 *
 * @param agent agent id
 * @param device device id, unique on the site
 */
@Doc("A meter or metered PDU: the agent that reports it and its device id.")
public record MeterRef(
        @Doc("Agent that reports the meter.") String agent,

        @Doc("Device id of the meter (its power metric measures this node).")
        String device) {

    public MeterRef {
        Topics.requireValidId(agent, "agent");
        Topics.requireValidId(device, "device");
    }
}
