package io.headroom.profiles;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One entry of a profile's {@code capabilities:} mapping, as written: what a verb takes and how it is
 * confirmed. The verb is the entry's key; {@link Capability} is the checked form.
 *
 * @param unit unit of the value, for verbs that take one ({@code W})
 * @param range allowed values, for verbs that take one
 * @param step the value must be {@code range.min + k × step}; 0 accepts any value in range
 * @param instances what the verb applies to: outlets, points; {@code "1..24"} stands for 1, 2, … 24
 * @param settle time after the command before its read-back is judged
 * @param ramp time for a change across the whole range (power ramps); zero for immediate
 * @param readBack how the command is confirmed; absent when the device's reply alone confirms it
 * @param dangerous cuts power or restarts the device: shown as such, never sent by automation unless
 *     a rule allows it
 */
public record CapabilitySpec(
        @Doc("Unit of the command's value, for verbs that take one: W.")
        Optional<String> unit,

        @Doc("Allowed values (inclusive), for verbs that take one.")
        Optional<ValueRange> range,

        @Doc("Values must be range.min + k * step; 0 accepts any value in range.") @Default("0")
        double step,

        @Doc("Instances the verb applies to (outlets, points); \"1..24\" stands for 1 to 24.")
        List<String> instances,

        @Doc("Time after the command before the read-back is judged.") @Default("0s")
        Duration settle,

        @Doc("Time for a change across the whole range.") @Default("0s")
        Duration ramp,

        @Doc("How the command is confirmed by reading the device back.")
        Optional<ReadBack> readBack,

        @Doc("True if the verb cuts power or restarts the device.") @Default("false")
        boolean dangerous) {

    public CapabilitySpec {
        instances = List.copyOf(instances);
        if (!(step >= 0) || !Double.isFinite(step)) {
            throw new IllegalArgumentException("step: must be a finite number ≥ 0");
        }
    }
}
