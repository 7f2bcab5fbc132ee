package io.headroom.controller.command;

import io.headroom.protocol.wire.Verb;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An immutable copy of one tracked command.
 *
 * @param commandId random UUID
 * @param deviceId target device
 * @param agentId the agent it was sent through
 * @param verb what to do
 * @param value the verb's value (watts for the power verbs); {@code null} for verbs without a value
 * @param instance the outlet or point it applies to; empty when it applies to the device itself
 * @param version the per-device version it carried
 * @param ttl how long after issue the agent may still start it
 * @param state where it stands
 * @param reason machine-readable reason from the agent (or {@code no-result} when EXPIRED); may be empty
 * @param message human-readable detail; may be empty
 * @param readBack what the device reported after it, when the agent said
 * @param issuedAt controller clock at issue
 * @param updatedAt controller clock at the last state change
 */
public record CommandView(
        String commandId,
        String deviceId,
        String agentId,
        Verb verb,
        Double value,
        String instance,
        long version,
        Duration ttl,
        CommandState state,
        String reason,
        String message,
        Double readBack,
        Instant issuedAt,
        Instant updatedAt) {

    public CommandView {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
