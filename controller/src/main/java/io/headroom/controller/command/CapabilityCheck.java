package io.headroom.controller.command;

import io.headroom.controller.store.DeviceRecord;
import io.headroom.protocol.CapabilityRules;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.Verb;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Whether a command lies within what the device's birth declared, by the same
 * {@link CapabilityRules} the agent applies, so that both sides refuse the same commands with the
 * same words; here the refusal comes before anything is sent.
 */
final class CapabilityCheck {

    private CapabilityCheck() {}

    /**
     * Refuses a command the device's capabilities do not admit. A read-only verb ({@code read-last-reply}) needs
     * none: every device can say what it last answered, and it carries no value and no instance.
     *
     * @param value finite, or {@code null} for none
     * @param instance empty for none
     * @throws CommandRefusedException with one of the capability reasons, saying what would be accepted
     */
    static void check(DeviceRecord device, Verb verb, Double value, String instance) throws CommandRefusedException {
        if (Verbs.readsOnly(verb)) {
            if (value != null || !instance.isEmpty()) {
                throw new CommandRefusedException(
                        CommandRefusedException.Reason.INVALID,
                        CommandVerbs.name(verb) + " takes no value and no instance");
            }
            return;
        }
        Optional<CapabilityRules.Refusal> refusal = CapabilityRules.check(
                device.id(),
                device.wireCapabilities(),
                verb,
                value == null ? OptionalDouble.empty() : OptionalDouble.of(value),
                instance);
        if (refusal.isPresent()) {
            throw new CommandRefusedException(
                    CommandRefusedException.Reason.of(refusal.get().reason()),
                    refusal.get().message());
        }
    }
}
