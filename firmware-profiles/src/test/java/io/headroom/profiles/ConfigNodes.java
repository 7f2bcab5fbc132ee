package io.headroom.profiles;

import io.headroom.config.ConfigNode;
import java.util.List;

/** Reads a few values out of an unbound {@link ConfigNode} tree, for assertions. */
record ConfigNodes(ConfigNode.Mapping node) {

    static ConfigNodes of(ConfigNode node) {
        return new ConfigNodes((ConfigNode.Mapping) node);
    }

    String scalar(String key) {
        return ((ConfigNode.Scalar) node.entries().get(key).value()).text();
    }

    List<String> list(String key) {
        return ((ConfigNode.Sequence) node.entries().get(key).value())
                .items().stream().map(item -> ((ConfigNode.Scalar) item).text()).toList();
    }
}
