package io.headroom.controller.market;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the evaluator needs to know about one miner model (or one device, when the caller wants
 * device-level strikes): its efficiency, measured and from the profile, and its share of the
 * fleet's hashrate (to weigh a class's efficiency).
 *
 * @param model the strike target's name: a model such as {@code Antminer S19}, or a device id
 * @param priorityClass its site-model priority class, e.g. {@code hashing}
 * @param measuredJPerTh measured J/TH (power truth / hashrate); ignored unless finite and positive
 * @param profileJPerTh the profile's J/TH, the fallback
 * @param hashrateThs the fleet's hashrate of this model now, TH/s; 0 when unknown
 */
public record ModelEconomics(
        String model,
        String priorityClass,
        OptionalDouble measuredJPerTh,
        OptionalDouble profileJPerTh,
        double hashrateThs) {

    public ModelEconomics {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(priorityClass, "priorityClass");
        Objects.requireNonNull(measuredJPerTh, "measuredJPerTh");
        Objects.requireNonNull(profileJPerTh, "profileJPerTh");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model: must not be blank");
        }
        if (!(hashrateThs >= 0) || !Double.isFinite(hashrateThs)) {
            throw new IllegalArgumentException("hashrateThs: " + hashrateThs + " is not a finite number >= 0");
        }
    }

    /** A model with a profile figure only. */
    public static ModelEconomics ofProfile(String model, String priorityClass, double profileJPerTh) {
        return new ModelEconomics(model, priorityClass, OptionalDouble.empty(), OptionalDouble.of(profileJPerTh), 0);
    }

    /** The J/TH to use: the measurement when it is good, else the profile's; empty when neither is. */
    public Optional<Efficiency> efficiency() {
        if (measuredJPerTh.isPresent() && usable(measuredJPerTh.getAsDouble())) {
            return Optional.of(new Efficiency(measuredJPerTh.getAsDouble(), EfficiencySource.MEASURED));
        }
        if (profileJPerTh.isPresent() && usable(profileJPerTh.getAsDouble())) {
            return Optional.of(new Efficiency(profileJPerTh.getAsDouble(), EfficiencySource.PROFILE));
        }
        return Optional.empty();
    }

    private static boolean usable(double jPerTh) {
        return Double.isFinite(jPerTh) && jPerTh > 0;
    }

    /**
     * An efficiency and where it came from.
     *
     * @param jPerTh joules per terahash
     * @param source measured or profile
     */
    public record Efficiency(double jPerTh, EfficiencySource source) {
        public Efficiency {
            Objects.requireNonNull(source, "source");
        }
    }
}
