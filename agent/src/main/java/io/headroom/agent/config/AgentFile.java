package io.headroom.agent.config;

import io.headroom.config.Doc;
import java.util.List;

/**
 * {@code agent.yaml} as written; {@link AgentConfigLoader} checks it into an {@link AgentConfig}. Its
 * JSON Schema ({@code agent.schema.json}) is written from this record.
 *
 * @param agentId this agent's id: its MQTT username and client id, and a level of its topics
 * @param site site id, shared with the controller
 * @param mqtt how to reach the controller
 * @param publish batching and re-sending
 * @param outbox where unacknowledged data is kept
 * @param commands command checks
 * @param metrics the agent's own metrics endpoint
 * @param defaults applied to every device that does not set its own value
 * @param buses serial buses that devices refer to
 * @param devices the devices this agent polls
 */
@Doc("Headroom rack agent configuration (agent.yaml).")
public record AgentFile(
        @Doc("This agent's id: its MQTT username and client id, and a level of its topics. [a-z0-9_-]")
        String agentId,

        @Doc("Site id, shared with the controller.") String site,
        MqttSettings mqtt,
        PublishSettings publish,
        OutboxSettings outbox,
        CommandSettings commands,
        MetricsSettings metrics,
        DeviceDefaults defaults,

        @Doc("Serial RS-485 buses that Modbus RTU devices refer to.")
        List<BusConfig> buses,

        @Doc("The devices this agent polls.") List<DeviceEntry> devices) {}
