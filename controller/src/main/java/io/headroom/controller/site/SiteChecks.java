package io.headroom.controller.site;

import io.headroom.config.ConfigNode;
import io.headroom.config.Problems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The checks of {@code site.yaml} that span records, made on the file's tree so that they run even
 * where the binder refused a value: unique node ids, one rack per device, known classes, known racks
 * in one zone each, an outlet only under a PDU or circuit meter, one agent per device id. A value of
 * the wrong shape is the binder's to report; these checks skip it.
 */
final class SiteChecks {

    private final ConfigNode root;
    private final Problems problems;
    private final Set<String> classes = new LinkedHashSet<>();
    private final Map<String, ConfigNode.Origin> nodeIds = new HashMap<>();
    private final Set<String> rackIds = new HashSet<>();
    /** Device id to the rack it is in and where. */
    private final Map<String, Written> placed = new HashMap<>();
    /** Device id (load or meter) to the agent first named for it and where. */
    private final Map<String, Written> agents = new HashMap<>();
    /** Devices whose class is checked once every class is known. */
    private final List<ConfigNode.Entry> deviceClasses = new ArrayList<>();

    private record Written(String value, ConfigNode.Origin origin) {}

    SiteChecks(ConfigNode root, Problems problems) {
        this.root = root;
        this.problems = problems;
        classes.addAll(PriorityClass.builtIn().keySet());
    }

    /** Runs every check, adding what it finds to the problems. */
    void run() {
        if (root instanceof ConfigNode.Mapping classesOwner) {
            ConfigNode.Entry declared = classesOwner.entries().get("classes");
            if (declared != null && declared.value() instanceof ConfigNode.Mapping mapping) {
                for (ConfigNode.Entry entry : mapping.entries().values()) {
                    String problem = io.headroom.protocol.Topics.idProblem(entry.key());
                    if (problem != null) {
                        problems.add(entry.keyOrigin(), "class name " + problem);
                    }
                    if (entry.key().equals(PriorityClass.AI_CONTRACT)
                            && !"false".equals(text(entry(entry.value(), "interruptible")))) {
                        problems.add(
                                entry.keyOrigin(),
                                "ai-contract is the must-run class: redeclare it only with interruptible: false");
                    }
                    classes.add(entry.key());
                }
            }
        }
        nodeId(entry(root, "site"));
        meter(root);
        for (ConfigNode feed : items(root, "feeds")) {
            nodeId(entry(feed, "id"));
            meter(feed);
            for (ConfigNode pdu : items(feed, "pdus")) {
                nodeId(entry(pdu, "id"));
                meter(pdu);
                boolean pduMeter = entry(pdu, "meter") != null;
                for (ConfigNode circuit : items(pdu, "circuits")) {
                    nodeId(entry(circuit, "id"));
                    meter(circuit);
                    for (ConfigNode rack : items(circuit, "racks")) {
                        rack(rack, pduMeter || entry(circuit, "meter") != null);
                    }
                }
                for (ConfigNode rack : items(pdu, "racks")) {
                    rack(rack, pduMeter);
                }
            }
        }
        for (ConfigNode.Entry entry : deviceClasses) {
            String name = text(entry);
            if (name != null && !classes.contains(name)) {
                problems.add(entry.keyOrigin(), "unknown class '" + name + "'; known: " + String.join(", ", classes));
            }
        }
        Map<String, ConfigNode.Origin> zoneOfRack = new HashMap<>();
        for (ConfigNode zone : items(root, "zones")) {
            nodeId(entry(zone, "id"));
            for (ConfigNode item : items(zone, "racks")) {
                if (!(item instanceof ConfigNode.Scalar scalar) || scalar.text() == null) {
                    continue;
                }
                String rack = scalar.text();
                if (!rackIds.contains(rack)) {
                    problems.add(scalar.origin(), "unknown rack '" + rack + "'");
                    continue;
                }
                ConfigNode.Origin first = zoneOfRack.putIfAbsent(rack, scalar.origin());
                if (first != null) {
                    problems.add(
                            scalar.origin(), "rack '" + rack + "' is already in a zone (line " + first.line() + ")");
                }
            }
        }
    }

    private void rack(ConfigNode rack, boolean metered) {
        ConfigNode.Entry id = entry(rack, "id");
        nodeId(id);
        String rackId = text(id);
        if (rackId != null) {
            rackIds.add(rackId);
        }
        for (ConfigNode device : items(rack, "devices")) {
            ConfigNode.Entry deviceId = entry(device, "id");
            String name = text(deviceId);
            if (deviceId != null && name != null) {
                Written other = placed.putIfAbsent(name, new Written(String.valueOf(rackId), deviceId.keyOrigin()));
                if (other != null) {
                    problems.add(
                            deviceId.keyOrigin(),
                            "device '" + name + "' is already in rack '" + other.value() + "' (line "
                                    + other.origin().line() + ")");
                    continue;
                }
                agent(name, entry(device, "agent"));
            }
            ConfigNode.Entry priority = entry(device, "class");
            if (priority != null) {
                deviceClasses.add(priority);
            }
            ConfigNode.Entry outlet = entry(device, "outlet");
            String outletText = text(outlet);
            if (outlet != null && outletText != null && !metered) {
                problems.add(
                        outlet.keyOrigin(),
                        "no PDU or circuit meter above rack '" + rackId + "' to read outlet '" + outletText
                                + "' from; add a meter to its PDU or circuit");
            } else if (outlet != null
                    && outletText != null
                    && !io.headroom.protocol.MetricDictionary.isValidInstance(outletText)) {
                problems.add(outlet.keyOrigin(), "'" + outletText + "' is not a valid outlet name");
            }
        }
    }

    /** The meter of a node, if any: its device takes part in the one-agent-per-device check. */
    private void meter(ConfigNode node) {
        ConfigNode.Entry meter = entry(node, "meter");
        if (meter == null) {
            return;
        }
        String device = text(entry(meter.value(), "device"));
        if (device != null) {
            agent(device, entry(meter.value(), "agent"));
        }
    }

    private void agent(String device, ConfigNode.@Nullable Entry agentEntry) {
        String agent = text(agentEntry);
        if (agentEntry == null || agent == null) {
            return;
        }
        Written known = agents.putIfAbsent(device, new Written(agent, agentEntry.keyOrigin()));
        if (known != null && !known.value().equals(agent)) {
            problems.add(
                    agentEntry.keyOrigin(),
                    "device '" + device + "' is given agent '" + known.value() + "' at line "
                            + known.origin().line() + "; one device id has one agent");
        }
    }

    private void nodeId(ConfigNode.@Nullable Entry id) {
        String text = text(id);
        if (id == null || text == null) {
            return;
        }
        ConfigNode.Origin first = nodeIds.putIfAbsent(text, id.keyOrigin());
        if (first != null) {
            problems.add(id.keyOrigin(), "duplicate id '" + text + "'; already used at line " + first.line());
        }
    }

    private static ConfigNode.@Nullable Entry entry(ConfigNode node, String key) {
        return node instanceof ConfigNode.Mapping mapping ? mapping.entries().get(key) : null;
    }

    private static @Nullable String text(ConfigNode.@Nullable Entry entry) {
        return entry != null && entry.value() instanceof ConfigNode.Scalar scalar ? scalar.text() : null;
    }

    private static List<ConfigNode> items(ConfigNode node, String key) {
        ConfigNode.Entry entry = entry(node, key);
        return entry != null && entry.value() instanceof ConfigNode.Sequence sequence ? sequence.items() : List.of();
    }
}
