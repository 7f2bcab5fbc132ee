package io.headroom.agent.command;

import io.headroom.agent.driver.Reading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.Verb;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How a poll's readings differ from a held set-point, and whether putting it back would lower or
 * raise the device's power. Pure: no state, no clock.
 *
 * <p>What is compared: {@code mode} for sleep and wake (a held wake has drifted only when the device
 * sleeps: low or high power are still awake), the capability's read-back metric ({@code power.target}
 * by default) within its tolerance for a power target or cap, {@code outlet.state} of the outlet for
 * outlet-off and outlet-on. A reading that is absent or not {@code QUALITY_GOOD} is no evidence of
 * drift: nothing is re-applied on a guess.
 *
 * @param direction what re-applying the set-point would do to the device's power
 * @param detail what was seen, for the log
 */
public record SetpointDrift(Direction direction, String detail) {

    /** What re-applying a held set-point does to power. */
    public enum Direction {
        /** Lowers power (sleep, a lower target, outlet off): allowed after the lease lapsed, while held. */
        CURTAIL,
        /** Raises power (wake, a higher target, outlet on): only ever under a valid lease. */
        RAISE
    }

    public SetpointDrift {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(detail, "detail");
    }

    /** Default tolerance of a power read-back when the profile declares none: 1 % of the value, at least 1 W. */
    static double defaultTolerance(double watts) {
        return Math.max(1.0, Math.abs(watts) * 0.01);
    }

    /**
     * @param capability the device's capability for the held verb, when it declares one
     * @return the drift, or empty when the device agrees with the set-point or the readings cannot tell
     */
    public static Optional<SetpointDrift> judge(
            HeldSetpoint held, List<Reading> readings, Optional<Capability> capability) {
        switch (held.verb()) {
            case VERB_SLEEP, VERB_WAKE -> {
                OptionalDouble mode = value(readings, MetricDictionary.MODE, held.instance());
                if (mode.isEmpty()) {
                    return Optional.empty();
                }
                boolean asleep = mode.getAsDouble() == Mode.SLEEP.code();
                Mode seen = Mode.fromCode((int) mode.getAsDouble());
                if (held.verb() == Verb.VERB_SLEEP && !asleep) {
                    return Optional.of(new SetpointDrift(Direction.CURTAIL, "held asleep, device reports " + seen));
                }
                if (held.verb() == Verb.VERB_WAKE && asleep) {
                    return Optional.of(new SetpointDrift(Direction.RAISE, "held awake, device reports SLEEP"));
                }
                return Optional.empty();
            }
            case VERB_SET_POWER_TARGET, VERB_SET_POWER_CAP -> {
                String metric = capability
                        .map(Capability::getReadBackMetric)
                        .filter(m -> !m.isBlank())
                        .orElse(held.verb() == Verb.VERB_SET_POWER_TARGET ? MetricDictionary.POWER_TARGET : "");
                if (metric.isEmpty()) {
                    return Optional.empty();
                }
                OptionalDouble watts = value(readings, metric, "");
                if (watts.isEmpty()) {
                    return Optional.empty();
                }
                double tolerance = capability
                        .map(Capability::getTolerance)
                        .filter(t -> t > 0)
                        .orElse(defaultTolerance(held.value()));
                double seen = watts.getAsDouble();
                if (Math.abs(seen - held.value()) <= tolerance) {
                    return Optional.empty();
                }
                return Optional.of(new SetpointDrift(
                        held.value() < seen ? Direction.CURTAIL : Direction.RAISE,
                        "held " + held.value() + " W, device reports " + metric + " " + seen));
            }
            case VERB_OUTLET_OFF, VERB_OUTLET_ON -> {
                OptionalDouble state = value(readings, MetricDictionary.OUTLET_STATE, held.instance());
                if (state.isEmpty()) {
                    return Optional.empty();
                }
                boolean on = state.getAsDouble() != 0;
                if (held.verb() == Verb.VERB_OUTLET_OFF && on) {
                    return Optional.of(new SetpointDrift(
                            Direction.CURTAIL, "outlet " + held.instance() + " held off, device reports on"));
                }
                if (held.verb() == Verb.VERB_OUTLET_ON && !on) {
                    return Optional.of(new SetpointDrift(
                            Direction.RAISE, "outlet " + held.instance() + " held on, device reports off"));
                }
                return Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static OptionalDouble value(List<Reading> readings, String metric, String instance) {
        for (Reading reading : readings) {
            if (reading.metric().equals(metric)
                    && reading.instance().equals(instance)
                    && reading.quality() == Quality.QUALITY_GOOD) {
                return OptionalDouble.of(reading.value());
            }
        }
        return OptionalDouble.empty();
    }
}
