package io.headroom.controller.engine;

import io.headroom.protocol.wire.Verb;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A command the engine wants sent: to the device itself, or for {@link ActionKind#OUTLET_OFF} /
 * {@link ActionKind#OUTLET_ON} to the PDU that feeds it.
 *
 * @param node the device's node index in the site model
 * @param deviceId the device acted on
 * @param kind what to do
 * @param verb the command verb that does it
 * @param valueW the power target in W for {@link ActionKind#SET_POWER_TARGET}, else NaN
 * @param targetDeviceId who receives the command: the device, or its PDU for outlet actions
 * @param instance the PDU outlet for outlet actions, else empty
 * @param expectedKw what the device should draw once the command has taken effect
 * @param constraint the limit that made the engine act
 * @param eventId the grid event it acted for, or null
 * @param reason why, in words, for the decision log
 * @param restore true when it gives power back
 */
public record Action(
        int node,
        String deviceId,
        ActionKind kind,
        Verb verb,
        double valueW,
        String targetDeviceId,
        String instance,
        double expectedKw,
        Constraint constraint,
        @Nullable String eventId,
        String reason,
        boolean restore) {

    public Action {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(targetDeviceId, "targetDeviceId");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(constraint, "constraint");
        Objects.requireNonNull(reason, "reason");
    }

    /** The verb of an action; {@code targetVerb} (set-power-target or set-power-cap) for a power target. */
    static Verb verb(ActionKind kind, @Nullable Verb targetVerb) {
        return switch (kind) {
            case SET_POWER_TARGET -> targetVerb == null ? Verb.VERB_SET_POWER_TARGET : targetVerb;
            case SLEEP -> Verb.VERB_SLEEP;
            case WAKE -> Verb.VERB_WAKE;
            case OUTLET_OFF -> Verb.VERB_OUTLET_OFF;
            case OUTLET_ON -> Verb.VERB_OUTLET_ON;
        };
    }
}
