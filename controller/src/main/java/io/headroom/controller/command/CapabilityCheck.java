package io.headroom.controller.command;

import io.headroom.controller.command.CommandRefusedException.Reason;
import io.headroom.controller.store.DeviceCapability;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.protocol.wire.Verb;
import java.math.BigDecimal;
import java.util.List;

/**
 * Whether a command lies within what the device's birth declared: the verb among its
 * capabilities, a value exactly when the verb takes one, within min..max and on the step grid, and
 * an instance exactly when the capability lists some (outlet and write-point verbs always need one).
 * A pure function of the record and the request, so the refusal is the same every time.
 */
final class CapabilityCheck {

    /** Instances named in a message before it says how many more there are. */
    private static final int LISTED_INSTANCES = 24;
    /** How far off the step grid a value may be, in steps, and still count as on it (binary fractions). */
    private static final double STEP_EPSILON = 1e-9;

    private CapabilityCheck() {}

    /**
     * Returns the capability that admits the command.
     *
     * @param value finite, or {@code null} for none
     * @param instance empty for none
     * @throws CommandRefusedException with one of the capability reasons, saying what would be accepted
     */
    static DeviceCapability check(DeviceRecord device, Verb verb, Double value, String instance)
            throws CommandRefusedException {
        String name = CommandVerbs.name(verb);
        DeviceCapability capability = device.capability(verb);
        if (capability == null) {
            throw new CommandRefusedException(Reason.UNSUPPORTED, unsupported(device, name));
        }
        String unit = capability.unit().isEmpty() ? "" : " " + capability.unit();
        String range = number(capability.min()) + ".." + number(capability.max()) + unit;
        if (CommandVerbs.takesValue(verb)) {
            if (value == null) {
                throw new CommandRefusedException(Reason.VALUE_REQUIRED,
                        name + " needs a value; " + device.id() + " accepts " + range);
            }
            if (value < capability.min() || value > capability.max()) {
                throw new CommandRefusedException(Reason.OUT_OF_RANGE, number(value) + unit + " is outside " + range
                        + ", the range " + device.id() + " accepts for " + name);
            }
            if (capability.step() > 0 && !onStep(value, capability.min(), capability.step())) {
                throw new CommandRefusedException(Reason.OFF_STEP, number(value) + unit + " is not "
                        + number(capability.min()) + " + k×" + number(capability.step()) + unit + " (" + name
                        + " on " + device.id() + " moves in steps of " + number(capability.step()) + unit + ")");
            }
        } else if (value != null) {
            throw new CommandRefusedException(Reason.VALUE_NOT_ALLOWED,
                    name + " takes no value; leave out " + number(value));
        }
        checkInstance(device.id(), name, capability, CommandVerbs.needsInstance(verb), instance);
        return capability;
    }

    private static void checkInstance(String deviceId, String name, DeviceCapability capability, boolean needed,
            String instance) throws CommandRefusedException {
        List<String> valid = capability.instances();
        if (valid.isEmpty()) {
            if (!instance.isEmpty()) {
                throw new CommandRefusedException(Reason.UNKNOWN_INSTANCE, name + " on " + deviceId
                        + " applies to the device itself and takes no instance; leave out '" + instance + "'");
            }
            if (needed) {
                throw new CommandRefusedException(Reason.UNKNOWN_INSTANCE, name + " needs an instance, but "
                        + deviceId + " lists none for it");
            }
        } else if (instance.isEmpty()) {
            throw new CommandRefusedException(Reason.UNKNOWN_INSTANCE, name + " on " + deviceId
                    + " needs an instance: one of " + list(valid));
        } else if (!valid.contains(instance)) {
            throw new CommandRefusedException(Reason.UNKNOWN_INSTANCE, deviceId + " has no " + name + " instance '"
                    + instance + "'; valid: " + list(valid));
        }
    }

    private static String unsupported(DeviceRecord device, String name) {
        List<DeviceCapability> capabilities = device.capabilities();
        if (capabilities.isEmpty()) {
            return device.id() + " does not support " + name
                    + "; its birth declares no capabilities, so it supports no commands";
        }
        return device.id() + " does not support " + name + "; it supports "
                + String.join(", ", capabilities.stream().map(c -> CommandVerbs.name(c.verb())).toList());
    }

    private static boolean onStep(double value, double min, double step) {
        double k = (value - min) / step;
        return Math.abs(k - Math.rint(k)) <= STEP_EPSILON * Math.max(1, Math.abs(k));
    }

    private static String list(List<String> instances) {
        if (instances.size() <= LISTED_INSTANCES) {
            return String.join(", ", instances);
        }
        return String.join(", ", instances.subList(0, LISTED_INSTANCES)) + ", … (" + instances.size() + " in all)";
    }

    /** {@code 3500} rather than {@code 3500.0}; {@code 0.25} as it is. */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
