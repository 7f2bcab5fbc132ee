package io.headroom.agent.config;

import io.headroom.protocol.Topics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The agent's settings, checked: what {@link AgentConfigLoader} makes of {@code agent.yaml}. Keys and
 * defaults are documented in {@code docs/agent-config.md}.
 *
 * @param agentId this agent's id
 * @param site site id
 * @param mqtt how to reach the controller
 * @param publish batching and re-sending
 * @param outbox where unacknowledged data is kept
 * @param commands command checks
 * @param metrics the agent's own metrics endpoint
 * @param buses serial buses by id
 * @param devices the devices to poll, in file order
 */
public record AgentConfig(
        String agentId,
        String site,
        MqttSettings mqtt,
        PublishSettings publish,
        OutboxSettings outbox,
        CommandSettings commands,
        MetricsSettings metrics,
        Map<String, BusConfig> buses,
        List<DeviceConfig> devices) {

    public AgentConfig {
        Topics.requireValidId(agentId, "agent-id");
        Topics.requireValidId(site, "site");
        Objects.requireNonNull(mqtt, "mqtt");
        Objects.requireNonNull(publish, "publish");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(metrics, "metrics");
        buses = Collections.unmodifiableMap(new LinkedHashMap<>(buses));
        devices = List.copyOf(devices);
        if (devices.stream().map(DeviceConfig::id).distinct().count() != devices.size()) {
            throw new IllegalArgumentException("devices: ids must be unique");
        }
    }
}
