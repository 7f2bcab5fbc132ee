package io.headroom.agent.publish;

import io.headroom.protocol.MetricDescriptor;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.MetricDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stable numeric aliases for (device, metric, instance), unique across the agent, and the metric
 * definitions a Birth must declare. An alias, once given, never changes within a boot.
 *
 * <p>Not thread-safe: used from the publisher's single thread.
 */
final class AliasRegistry {
    private final Map<String, Map<String, Integer>> byDevice = new HashMap<>();
    private final Map<String, List<MetricDefinition>> definitions = new LinkedHashMap<>();
    private int nextAlias = 1;
    private boolean undeclared;

    /** Returns the alias, assigning a new one (and marking a Birth as due) the first time. */
    int aliasOf(String deviceId, String metric, String instance) {
        String key = MetricDictionary.displayKey(metric, instance);
        Map<String, Integer> aliases = byDevice.computeIfAbsent(deviceId, id -> new HashMap<>());
        Integer alias = aliases.get(key);
        if (alias != null) {
            return alias;
        }
        int assigned = nextAlias++;
        aliases.put(key, assigned);
        MetricDescriptor descriptor = MetricDictionary.require(metric);
        definitions
                .computeIfAbsent(deviceId, id -> new ArrayList<>())
                .add(MetricDefinition.newBuilder()
                        .setAlias(assigned)
                        .setName(metric)
                        .setInstance(instance)
                        .setUnit(descriptor.unit())
                        .setType(descriptor.type())
                        .build());
        undeclared = true;
        return assigned;
    }

    /** Metric definitions of a device, in the order their aliases were assigned. */
    List<MetricDefinition> definitions(String deviceId) {
        return definitions.getOrDefault(deviceId, List.of());
    }

    /** True if an alias was assigned since the last {@link #markDeclared()}: a Birth is due. */
    boolean hasUndeclared() {
        return undeclared;
    }

    void markDeclared() {
        undeclared = false;
    }
}
