package io.headroom.cli;

import io.headroom.simulator.site.FeedSpec;
import io.headroom.simulator.site.RackSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code site.yaml} of {@code headroom demo}, written from the same layout the simulator is built
 * from (racks on PDU outlets, feeds of racks, one meter per feed), so that every node of
 * {@code GET /api/v1/site} is metered by a device the demo's agents really poll: a rack by its PDU, a
 * feed by its SDM630, a miner by its PDU outlet. {@code docs/examples/site.yaml} is this file for the
 * default demo (DemoSiteModelTest keeps them equal).
 */
final class DemoSiteModel {

    /** A rack PDU's breaker: 125 A at 415 V, three-phase, 80 % continuous: 71.9 kW, room for 24 miners. */
    private static final int BREAKER_AMPS = 125;
    /** Feed and site limits per rack they carry, kW: above a rack of miners' draw, below its breaker. */
    private static final int FEED_KW_PER_RACK = 70;

    private static final int SITE_KW_PER_RACK = 75;

    private DemoSiteModel() {}

    /**
     * @param site the site id
     * @param racks every rack, in order
     * @param feeds the feeds, each naming its racks
     * @param agentOfRack rack id → the id of the agent that polls its PDU and miners
     * @param limitFactor every limit times this (1: the documented demo)
     */
    static String yaml(
            String site,
            List<RackSpec> racks,
            List<FeedSpec> feeds,
            Map<String, String> agentOfRack,
            double limitFactor,
            int gpuServers,
            boolean mixedFleet) {
        int miners = racks.stream().mapToInt(r -> r.miners().size()).sum();
        StringBuilder yaml = new StringBuilder()
                .append("# Site model of `headroom demo` (docs/site-model.md), written by the demo from its layout:\n")
                .append("# ")
                .append(miners)
                .append(" simulated miners (Antminer S19 XP on LuxOS, about 3 kW each) on the outlets of ")
                .append(racks.stream()
                        .filter(r -> !r.id().equals(DemoGpuRack.AI_RACK))
                        .count())
                .append(" rack PDUs\n# (apc/rpdu2)")
                .append(
                        mixedFleet
                                ? ", and in " + DemoMixedRack.RACK
                                        + " one Antminer S21 (stock), Whatsminer M30S++, S19 XP on Braiins OS and"
                                        + " AvalonMiner 15-194;\n# "
                                : "; ")
                .append(feeds.size())
                .append(" feed(s) metered by SDM630s (eastron/sdm630); one cooling zone. Every node is metered\n")
                .append("# by a device the demo's agents poll.")
                .append(
                        gpuServers == 0
                                ? "\n"
                                : "\n# " + gpuServers
                                        + " simulated 8 x H100 GPU servers (ai-contract, capped over Redfish) in "
                                        + DemoGpuRack.AI_RACK + " on " + DemoGpuRack.AI_FEED + ".\n")
                .append("site: ")
                .append(site)
                .append('\n')
                .append("limit-kw: ")
                .append(scaled(SITE_KW_PER_RACK * racks.size(), limitFactor))
                .append('\n')
                .append("stale-after: 30s\n\n")
                .append("classes:\n")
                .append("  # ai-contract (must run: capped only for a hard limit, never for a grid event) and hashing")
                .append(" (interruptible)\n")
                .append("  # always exist.\n")
                .append("  hashing:\n")
                .append("    interruptible: true\n")
                .append("    description: SHA-256 miners, curtailed first\n\n")
                .append("feeds:\n");
        for (FeedSpec feed : feeds) {
            String firstRack = feed.racks().get(0);
            yaml.append("  - id: ")
                    .append(feed.id())
                    .append('\n')
                    .append("    limit-kw: ")
                    .append(scaled(FEED_KW_PER_RACK * feed.racks().size(), limitFactor))
                    .append('\n')
                    .append("    meter: {agent: ")
                    .append(agentOfRack.get(firstRack))
                    .append(", device: ")
                    .append(DemoSite.meterId(feed.id()))
                    .append("}\n")
                    .append("    pdus:\n");
            for (String rackId : feed.racks()) {
                RackSpec rack = racks.stream()
                        .filter(r -> r.id().equals(rackId))
                        .findFirst()
                        .orElseThrow();
                String agent = agentOfRack.get(rackId);
                String pdu = DemoSite.pduId(rackId);
                yaml.append("      - id: ")
                        .append(pdu)
                        .append('\n')
                        .append(
                                limitFactor == 1.0
                                        ? "        # 125 A x 415 V x sqrt(3) x 80 % = 71.9 kW continuous\n"
                                        : "        # scaled by " + scaled(1, limitFactor) + " from 125 A\n")
                        .append("        breaker: {amps: ")
                        .append(scaled(BREAKER_AMPS, limitFactor))
                        .append(", volts: 415, phases: 3, derate-percent: 80}\n")
                        .append("        meter: {agent: ")
                        .append(agent)
                        .append(", device: ")
                        .append(pdu)
                        .append("}\n")
                        .append("        racks:\n")
                        .append("          - id: ")
                        .append(rackId)
                        .append('\n')
                        .append("            devices:\n");
                if (rackId.equals(DemoMixedRack.RACK)) {
                    yaml.append(DemoMixedRack.siteDevices(agent));
                }
                if (rackId.equals(DemoGpuRack.AI_RACK)) {
                    for (int g = 0; g < gpuServers; g++) {
                        yaml.append(String.format(
                                Locale.ROOT,
                                "              - {id: %s, agent: %s, class: ai-contract, outlet: \"%d\"}\n",
                                DemoGpuRack.gpuName(g),
                                agent,
                                g + 1));
                    }
                }
                for (int k = 0; k < rack.miners().size(); k++) {
                    yaml.append(String.format(
                            Locale.ROOT,
                            "              - {id: %s, agent: %s, class: hashing, outlet: \"%d\"}\n",
                            DemoSite.minerId(rack.miners().get(k)),
                            agent,
                            k + 1));
                }
            }
        }
        yaml.append("\nzones:\n")
                .append("  - id: hall-1\n")
                .append("    heat-rejection-kw: ")
                .append(scaled(FEED_KW_PER_RACK * racks.size(), limitFactor))
                .append('\n')
                .append("    inlet-limit-c: 35\n")
                .append("    derate:\n")
                .append("      - {inlet-c: 25, percent: 100}\n")
                .append("      - {inlet-c: 35, percent: 60}\n")
                .append("      - {inlet-c: 40, percent: 0}\n")
                .append("    racks: [")
                .append(String.join(", ", racks.stream().map(RackSpec::id).toList()))
                .append("]\n");
        return yaml.toString();
    }

    /** {@code value × factor}: as an integer when the factor is 1 (the documented file), else to three decimals. */
    private static String scaled(int value, double factor) {
        if (factor == 1.0) {
            return Integer.toString(value);
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3f", value * factor))
                .stripTrailingZeros()
                .toPlainString();
    }
}
