package io.headroom.config;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A YAML document as a tree in which every node knows where it came from: the file, the line, and
 * its path from the document's root ({@code devices[3].snmp.version}). Binding reports problems at a
 * node's {@link #origin()}, so a node kept unbound and bound later (a driver block) still reports its
 * own line.
 */
public sealed interface ConfigNode permits ConfigNode.Scalar, ConfigNode.Mapping, ConfigNode.Sequence {

    /** Where this node is. */
    Origin origin();

    /**
     * The node at a path of mapping keys below this one ({@code find("controls", "sleep")}), if every
     * key is there: for callers placing a problem at the key it is about.
     */
    default java.util.Optional<ConfigNode> find(String... keys) {
        ConfigNode node = this;
        for (String key : keys) {
            if (!(node instanceof Mapping mapping) || !mapping.entries().containsKey(key)) {
                return java.util.Optional.empty();
            }
            node = mapping.entries().get(key).value();
        }
        return java.util.Optional.of(node);
    }

    /**
     * Where the last key of a path is written (its own line, its full path), or this node's origin when
     * the path is not there: where a problem about that key belongs.
     */
    default Origin originOf(String... keys) {
        if (keys.length == 0) {
            return origin();
        }
        return find(java.util.Arrays.copyOf(keys, keys.length - 1))
                .filter(parent -> parent instanceof Mapping)
                .map(parent -> ((Mapping) parent).entries().get(keys[keys.length - 1]))
                .map(Entry::keyOrigin)
                .orElse(origin());
    }

    /** Human name of the node's shape, for "expected a mapping, found a list" messages. */
    String shape();

    /**
     * A scalar as written. {@code text} is null for YAML null ({@code ~}, {@code null} or nothing);
     * {@code quoted} tells {@code "8080"} from {@code 8080}.
     */
    record Scalar(@Nullable String text, boolean quoted, Origin origin) implements ConfigNode {
        @Override
        public String shape() {
            return text == null ? "nothing" : "a value";
        }
    }

    /** One key of a mapping; {@code keyOrigin} is the line of the key itself. */
    record Entry(String key, Origin keyOrigin, ConfigNode value) {}

    /** A mapping in document order; duplicate keys are a problem reported by the parser. */
    record Mapping(Map<String, Entry> entries, Origin origin) implements ConfigNode {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
        }

        @Override
        public String shape() {
            return "a mapping";
        }
    }

    /** A list. */
    record Sequence(List<ConfigNode> items, Origin origin) implements ConfigNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String shape() {
            return "a list";
        }
    }

    /**
     * Where a node is.
     *
     * @param file as it should appear in messages ({@code agent.yaml}, {@code profiles/luxor/luxos.yaml})
     * @param line 1-based
     * @param path from the document root, {@code ""} for the root itself
     */
    record Origin(String file, int line, String path) {
        /** The origin of a child key of this node. */
        public Origin key(String key, int line) {
            return new Origin(file, line, path.isEmpty() ? key : path + "." + key);
        }

        /** The origin of the index-th item of this list node. */
        public Origin index(int index, int line) {
            return new Origin(file, line, path + "[" + index + "]");
        }
    }
}
