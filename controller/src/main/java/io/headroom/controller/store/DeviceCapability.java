package io.headroom.controller.store;

import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.Verb;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One verb a device accepts, as its birth declared it (the wire's {@code Capability}, whose
 * comments are the contract). The controller refuses a command outside these before sending it.
 *
 * @param verb what the device accepts
 * @param unit unit of the value ({@code W}); empty for verbs without a value
 * @param min lowest value accepted, inclusive
 * @param max highest value accepted, inclusive
 * @param step the value must be {@code min + k × step}; 0 accepts any value in range
 * @param instances the outlets or points the verb applies to; empty when it applies to the device itself
 * @param settle how long the device takes to settle before its read-back is judged
 * @param ramp how long a change across the whole range takes; zero for immediate
 * @param readBackMetric metric that confirms the command; empty when the device's reply alone does
 * @param tolerance how far the read-back may be from the value, in the metric's unit
 * @param dangerous cuts power or restarts the device
 */
public record DeviceCapability(
        Verb verb,
        String unit,
        double min,
        double max,
        double step,
        List<String> instances,
        Duration settle,
        Duration ramp,
        String readBackMetric,
        double tolerance,
        boolean dangerous) {

    public DeviceCapability {
        Objects.requireNonNull(verb, "verb");
        if (verb == Verb.VERB_UNSPECIFIED || verb == Verb.UNRECOGNIZED) {
            throw new IllegalArgumentException("verb: must be a known verb, got " + verb);
        }
        Objects.requireNonNull(unit, "unit");
        instances = List.copyOf(instances);
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(ramp, "ramp");
        Objects.requireNonNull(readBackMetric, "readBackMetric");
    }

    /** A verb with no value, no instances, no read-back metric and no settle time. */
    public static DeviceCapability of(Verb verb) {
        return new DeviceCapability(verb, "", 0, 0, 0, List.of(), Duration.ZERO, Duration.ZERO, "", 0, false);
    }

    /** The capability as a birth carries it. */
    public Capability toWire() {
        return Capability.newBuilder()
                .setVerb(verb)
                .setUnit(unit)
                .setMin(min)
                .setMax(max)
                .setStep(step)
                .addAllInstances(instances)
                .setSettleMs((int) Math.min(settle.toMillis(), 0xFFFF_FFFFL))
                .setRampMs((int) Math.min(ramp.toMillis(), 0xFFFF_FFFFL))
                .setReadBackMetric(readBackMetric)
                .setTolerance(tolerance)
                .setDangerous(dangerous)
                .build();
    }

    /** The capability as a birth carries it; the decoder has already checked it. */
    public static DeviceCapability fromWire(Capability wire) {
        return new DeviceCapability(
                wire.getVerb(),
                wire.getUnit(),
                wire.getMin(),
                wire.getMax(),
                wire.getStep(),
                wire.getInstancesList(),
                Duration.ofMillis(Integer.toUnsignedLong(wire.getSettleMs())),
                Duration.ofMillis(Integer.toUnsignedLong(wire.getRampMs())),
                wire.getReadBackMetric(),
                wire.getTolerance(),
                wire.getDangerous());
    }
}
