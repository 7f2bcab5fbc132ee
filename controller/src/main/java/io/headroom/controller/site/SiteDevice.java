package io.headroom.controller.site;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Key;
import io.headroom.config.Range;
import io.headroom.protocol.Topics;
import java.util.Optional;

/**
 * One device in a rack, matched to the agent that reports it, with the operator's overrides.
 *
 * @param id device id, unique on the site
 * @param agent the agent expected to report it; another agent reporting it is a site problem
 * @param priorityClass one of the site's priority classes
 * @param outlet the outlet of the rack's PDU meter that feeds it, whose reading is its metered power
 * @param nameplateW what the device draws at most, used instead of the profile's nameplate
 * @param maintenance out of service or locked out: counted, but never commanded
 * @param neverTouch never commanded by the engine, whatever the limits
 */
@Doc("A device: the agent that reports it, its class and overrides.")
public record SiteDevice(
        @Doc("Device id, unique on the site.") String id,
        @Doc("Agent that reports the device.") String agent,

        @Doc("Priority class: hashing, ai-flex, ai-contract, auxiliary or one declared under classes.") @Key("class")
        String priorityClass,

        @Doc("Outlet of the PDU that meters this device's circuit (its power[outlet] reading is the device's).")
        Optional<String> outlet,

        @Doc("Nameplate power in watts; overrides the firmware profile's.") @Range(min = "1", max = "1000000")
        Optional<Double> nameplateW,

        @Doc("Out of service or locked out: its load counts, the engine never commands it.") @Default("false")
        boolean maintenance,

        @Doc("The engine never commands this device.") @Default("false")
        boolean neverTouch) {

    public SiteDevice {
        Topics.requireValidId(id, "id");
        Topics.requireValidId(agent, "agent");
        if (outlet.isPresent() && outlet.get().isBlank()) {
            throw new IllegalArgumentException("outlet: must not be blank");
        }
    }
}
