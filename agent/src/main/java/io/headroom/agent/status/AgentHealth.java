package io.headroom.agent.status;

import io.headroom.agent.publish.outbox.OutboxSnapshot;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code GET /health} reports: whether the agent reaches the controller, how much it holds
 * unacknowledged, and how its devices answered their last poll.
 *
 * @param agentId this agent's id
 * @param site its site id
 * @param mqttUrl where it connects
 * @param connected true while connected to the MQTT endpoint
 * @param connectionProblem why the last connection attempt failed (a TLS handshake refused, a wrong
 *     password …), while not connected; empty once connected
 * @param unacked Data and results published but not yet acknowledged by the controller
 * @param outbox where they are kept: depth, bytes, drops by reason, quarantined segments
 * @param devices device count by the health of its last poll ({@code online}, {@code degraded},
 *     {@code offline}, {@code pending} for not polled yet)
 * @param setpoints the controller's set-points held under the lease, and the lease's state
 */
public record AgentHealth(
        String agentId,
        String site,
        String mqttUrl,
        boolean connected,
        Optional<String> connectionProblem,
        int unacked,
        OutboxSnapshot outbox,
        Map<String, Integer> devices,
        Setpoints setpoints) {

    /**
     * The set-points the agent holds for the controller (docs/control-safety.md).
     *
     * @param held last confirmed set-points kept, all devices and slots
     * @param enforced those that would be put back now if the device drifted: all while the lease
     *     is valid, only the curtailments within their {@code hold_until} after it lapsed
     * @param lease {@code valid}, {@code expired}, {@code controller-offline}, {@code no-lease} or
     *     {@code no-state}
     */
    public record Setpoints(int held, int enforced, String lease) {
        public Setpoints {
            Objects.requireNonNull(lease, "lease");
        }
    }

    public AgentHealth {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(mqttUrl, "mqttUrl");
        Objects.requireNonNull(connectionProblem, "connectionProblem");
        Objects.requireNonNull(outbox, "outbox");
        devices = Map.copyOf(devices);
        Objects.requireNonNull(setpoints, "setpoints");
    }
}
