package io.headroom.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tree surgery the binder needs for defaults written as YAML flow text. */
final class Nodes {

    private Nodes() {}

    /**
     * The same tree as if it had been written at {@code at}: every origin gets {@code at}'s file and
     * line, and paths start from {@code at}'s path.
     */
    static ConfigNode reroot(ConfigNode node, ConfigNode.Origin at) {
        ConfigNode.Origin origin = moved(node.origin(), at);
        if (node instanceof ConfigNode.Mapping) {
            Map<String, ConfigNode.Entry> entries = new LinkedHashMap<>();
            for (ConfigNode.Entry entry : ((ConfigNode.Mapping) node).entries().values()) {
                entries.put(
                        entry.key(),
                        new ConfigNode.Entry(entry.key(), moved(entry.keyOrigin(), at), reroot(entry.value(), at)));
            }
            return new ConfigNode.Mapping(entries, origin);
        }
        if (node instanceof ConfigNode.Sequence) {
            List<ConfigNode> items = new ArrayList<>();
            for (ConfigNode item : ((ConfigNode.Sequence) node).items()) {
                items.add(reroot(item, at));
            }
            return new ConfigNode.Sequence(items, origin);
        }
        ConfigNode.Scalar scalar = (ConfigNode.Scalar) node;
        return new ConfigNode.Scalar(scalar.text(), scalar.quoted(), origin);
    }

    private static ConfigNode.Origin moved(ConfigNode.Origin origin, ConfigNode.Origin at) {
        String path = origin.path().isEmpty()
                ? at.path()
                : at.path().isEmpty()
                        ? origin.path()
                        : origin.path().startsWith("[") ? at.path() + origin.path() : at.path() + "." + origin.path();
        return new ConfigNode.Origin(at.file(), at.line(), path);
    }
}
