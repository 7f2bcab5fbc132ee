package io.headroom.controller.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable copy of one device's state at the moment it was read.
 *
 * @param id device id, unique on the site
 * @param agent the agent that reports it
 * @param kind {@code DeviceKinds} name: miner, gpu-server, pdu, meter, ups, sensor or cooling
 * @param model as the device reports it
 * @param profile firmware profile id
 * @param firmware firmware version, possibly empty
 * @param nameplatePowerW from the profile; 0 when unknown
 * @param nameplateHashrateThs rated hashrate from the profile (miners), TH/s; 0 when unknown
 * @param status current status
 * @param statusReason machine-readable reason, e.g. {@code timeout}, {@code agent-death}; may be empty
 * @param statusMessage human-readable detail; may be empty
 * @param statusSince when the status last changed (controller clock)
 * @param metrics latest reading per display key ({@code temperature.chip[board1]}), in birth order;
 *     metrics never received are absent
 * @param capabilities every verb the device accepts, from its latest birth; empty: it accepts none
 * @param conflict empty, or the owner followed by every other agent that claims this device id:
 *     commands are refused while it is not empty (see {@code docs/mqtt-endpoint.md}, "Device ownership")
 * @param agentClockOffsetMs the reporting agent's clock minus the controller's at its last live
 *     Data, in ms; {@code null} before the first
 */
public record DeviceView(
        String id,
        String agent,
        String kind,
        String model,
        String profile,
        String firmware,
        double nameplatePowerW,
        double nameplateHashrateThs,
        DeviceState status,
        String statusReason,
        String statusMessage,
        Instant statusSince,
        Map<String, MetricReading> metrics,
        List<DeviceCapability> capabilities,
        List<String> conflict,
        Long agentClockOffsetMs) {

    public DeviceView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(statusReason, "statusReason");
        Objects.requireNonNull(statusMessage, "statusMessage");
        Objects.requireNonNull(statusSince, "statusSince");
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        capabilities = List.copyOf(capabilities);
        conflict = List.copyOf(conflict);
    }

    /** A device without a rated hashrate. */
    public DeviceView(
            String id,
            String agent,
            String kind,
            String model,
            String profile,
            String firmware,
            double nameplatePowerW,
            DeviceState status,
            String statusReason,
            String statusMessage,
            Instant statusSince,
            Map<String, MetricReading> metrics,
            List<DeviceCapability> capabilities,
            List<String> conflict,
            Long agentClockOffsetMs) {
        this(
                id,
                agent,
                kind,
                model,
                profile,
                firmware,
                nameplatePowerW,
                0,
                status,
                statusReason,
                statusMessage,
                statusSince,
                metrics,
                capabilities,
                conflict,
                agentClockOffsetMs);
    }

    /** True while another agent claims this device id too. */
    public boolean inConflict() {
        return !conflict.isEmpty();
    }

    /** The reading under {@code displayKey}, or {@code null} when none has arrived. */
    public MetricReading metric(String displayKey) {
        return metrics.get(displayKey);
    }
}
