package io.headroom.agent.config;

import io.headroom.protocol.Topics;
import java.util.List;
import java.util.Objects;

/**
 * Everything an agent is told at start-up. Built only by the config loader, which has already
 * reported every problem of the file; the constructors re-check invariants as a last guard.
 *
 * @param agentId this agent's id: its MQTT username and client id, and a level of its topics
 * @param site site id shared with the controller
 * @param mqtt how to reach the controller's endpoint (or an external broker)
 * @param publish batching and buffering of telemetry
 * @param commands how commands from the controller are checked
 * @param metrics where the agent's own metrics and health are served
 * @param devices the devices this agent polls, ids unique
 */
public record AgentConfig(
        String agentId,
        String site,
        MqttSettings mqtt,
        PublishSettings publish,
        CommandSettings commands,
        MetricsSettings metrics,
        List<DeviceConfig> devices) {

    public AgentConfig {
        Topics.requireValidId(agentId, "agent-id");
        Topics.requireValidId(site, "site");
        Objects.requireNonNull(mqtt, "mqtt");
        Objects.requireNonNull(publish, "publish");
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(metrics, "metrics");
        devices = List.copyOf(devices);
        if (devices.stream().map(DeviceConfig::id).distinct().count() != devices.size()) {
            throw new IllegalArgumentException("devices: ids must be unique");
        }
    }
}
