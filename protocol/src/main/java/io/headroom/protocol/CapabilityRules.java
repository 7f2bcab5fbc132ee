package io.headroom.protocol;

import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.Verb;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Whether a command lies within what a device declares it accepts: the verb among its capabilities,
 * a value exactly when the verb takes one, within min..max and on the step grid, and an instance
 * exactly when the capability lists some (outlet and write-point verbs always need one).
 *
 * <p>One implementation for both sides: the controller refuses a command before sending it, the
 * agent refuses the same command if it arrives anyway, and both give the same reason and message. A
 * pure function of the capabilities and the request.
 */
public final class CapabilityRules {

    /** The verb is not among the device's capabilities. */
    public static final String UNSUPPORTED = "unsupported";
    /** The verb takes a value and none (or a non-finite one) was given. */
    public static final String VALUE_REQUIRED = "value-required";
    /** The verb takes no value and one was given. */
    public static final String VALUE_NOT_ALLOWED = "value-not-allowed";
    /** The value is outside min..max. */
    public static final String OUT_OF_RANGE = "out-of-range";
    /** The value is in range but not min + k × step. */
    public static final String OFF_STEP = "off-step";
    /** The instance is missing, not listed, or given for a verb that applies to the device itself. */
    public static final String UNKNOWN_INSTANCE = "unknown-instance";

    /** Instances named in a message before it says how many more there are. */
    private static final int LISTED_INSTANCES = 24;
    /** How far off the step grid a value may be, in steps, and still count as on it (binary fractions). */
    private static final double STEP_EPSILON = 1e-9;

    private CapabilityRules() {}

    /**
     * Why a device refuses a command, or empty when its capabilities admit it.
     *
     * @param deviceId for the message
     * @param capabilities every capability the device declares
     * @param value the command's value; empty for none
     * @param instance the command's instance; empty for none
     */
    public static Optional<Refusal> check(
            String deviceId, List<Capability> capabilities, Verb verb, OptionalDouble value, String instance) {
        String name = Verbs.name(verb);
        Capability capability = null;
        for (Capability candidate : capabilities) {
            if (candidate.getVerb() == verb) {
                capability = candidate;
                break;
            }
        }
        if (capability == null) {
            return refuse(UNSUPPORTED, unsupported(deviceId, capabilities, name));
        }
        String unit = capability.getUnit().isEmpty() ? "" : " " + capability.getUnit();
        String range = number(capability.getMin()) + ".." + number(capability.getMax()) + unit;
        if (Verbs.takesValue(verb)) {
            if (value.isEmpty() || !Double.isFinite(value.getAsDouble())) {
                return refuse(VALUE_REQUIRED, name + " needs a value; " + deviceId + " accepts " + range);
            }
            double v = value.getAsDouble();
            if (v < capability.getMin() || v > capability.getMax()) {
                return refuse(
                        OUT_OF_RANGE,
                        number(v) + unit + " is outside " + range + ", the range " + deviceId + " accepts for " + name);
            }
            double step = capability.getStep();
            if (step > 0 && !onStep(v, capability.getMin(), step)) {
                return refuse(
                        OFF_STEP,
                        number(v) + unit + " is not " + number(capability.getMin()) + " + k×"
                                + number(step) + unit + " (" + name + " on " + deviceId + " moves in steps of "
                                + number(step) + unit + ")");
            }
        } else if (value.isPresent()) {
            return refuse(VALUE_NOT_ALLOWED, name + " takes no value; leave out " + number(value.getAsDouble()));
        }
        return checkInstance(deviceId, name, capability.getInstancesList(), Verbs.needsInstance(verb), instance);
    }

    private static Optional<Refusal> checkInstance(
            String deviceId, String name, List<String> valid, boolean needed, String instance) {
        if (valid.isEmpty()) {
            if (!instance.isEmpty()) {
                return refuse(
                        UNKNOWN_INSTANCE,
                        name + " on " + deviceId + " applies to the device itself and takes no instance; leave out '"
                                + instance + "'");
            }
            if (needed) {
                return refuse(UNKNOWN_INSTANCE, name + " needs an instance, but " + deviceId + " lists none for it");
            }
        } else if (instance.isEmpty()) {
            return refuse(UNKNOWN_INSTANCE, name + " on " + deviceId + " needs an instance: one of " + list(valid));
        } else if (!valid.contains(instance)) {
            return refuse(
                    UNKNOWN_INSTANCE,
                    deviceId + " has no " + name + " instance '" + instance + "'; valid: " + list(valid));
        }
        return Optional.empty();
    }

    private static String unsupported(String deviceId, List<Capability> capabilities, String name) {
        if (capabilities.isEmpty()) {
            return deviceId + " does not support " + name
                    + "; its birth declares no capabilities, so it supports no commands";
        }
        return deviceId + " does not support " + name + "; it supports "
                + String.join(
                        ", ",
                        capabilities.stream().map(c -> Verbs.name(c.getVerb())).toList());
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
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static Optional<Refusal> refuse(String reason, String message) {
        return Optional.of(new Refusal(reason, message));
    }

    /**
     * Why a command was refused.
     *
     * @param reason machine-readable: one of the constants of this class
     * @param message for humans: what was wrong and what would be accepted
     */
    public record Refusal(String reason, String message) {}
}
