package io.headroom.agent.command;

import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.Verb;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A set-point of the controller that the device last confirmed (APPLIED), as the agent holds it.
 *
 * @param deviceId the device
 * @param verb sleep, wake, set-power-target, set-power-cap, outlet-off or outlet-on
 * @param value watts for a power verb; 0 otherwise
 * @param instance the outlet of an outlet verb; empty otherwise
 * @param commandId the command that set it
 * @param version its version, in the device's version order
 * @param appliedAt agent wall clock when the device confirmed it
 * @param holdUntilMs controller wall clock, Unix ms, until which a curtailment stays held after the
 *     lease lapsed (after clamping); 0 when held only under the lease
 * @param holdUntilNanos the same moment on the agent's monotonic clock, computed at apply time, so a
 *     wall-clock step on the agent does not move it; meaningful only when {@code holdUntilMs > 0}
 */
public record HeldSetpoint(
        String deviceId,
        Verb verb,
        double value,
        String instance,
        String commandId,
        long version,
        Instant appliedAt,
        long holdUntilMs,
        long holdUntilNanos) {

    public HeldSetpoint {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(appliedAt, "appliedAt");
        if (slotOf(verb, instance).isEmpty()) {
            throw new IllegalArgumentException("verb: " + Verbs.name(verb) + " is not a set-point the agent holds");
        }
    }

    /**
     * Which part of the device's state a verb sets: {@code mode} (sleep/wake), {@code power-target},
     * {@code power-cap}, {@code outlet:<n>}. A newer set-point for the same slot replaces the held
     * one; other verbs (reboot, outlet-cycle, locate, write-point) are actions, not set-points, and
     * are never held.
     */
    public static Optional<String> slotOf(Verb verb, String instance) {
        return Optional.ofNullable(
                switch (verb) {
                    case VERB_SLEEP, VERB_WAKE -> instance.isEmpty() ? "mode" : "mode:" + instance;
                    case VERB_SET_POWER_TARGET -> "power-target";
                    case VERB_SET_POWER_CAP -> "power-cap";
                    case VERB_OUTLET_OFF, VERB_OUTLET_ON -> "outlet:" + instance;
                    default -> null;
                });
    }

    /** This set-point's slot. */
    public String slot() {
        return slotOf(verb, instance).orElseThrow();
    }

    /** The slot's kind without its instance: the {@code reason} tag of the re-apply counters. */
    public String kind() {
        String slot = slot();
        int colon = slot.indexOf(':');
        return colon < 0 ? slot : slot.substring(0, colon);
    }

    /** True when a hold past the lease was asked for and has not ended at {@code nowNanos}. */
    public boolean heldPastLeaseAt(long nowNanos) {
        return holdUntilMs > 0 && holdUntilNanos - nowNanos > 0;
    }
}
