package io.headroom.profiles;

import io.headroom.protocol.MetricDescriptor;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.MetricType;
import io.headroom.protocol.wire.Verb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One verb a device accepts, checked: the value it takes (unit, range, step), the instances it applies
 * to, how long it takes and how it is confirmed. Built from a profile's {@link CapabilitySpec}; the
 * agent refuses commands outside it, and the Birth declares it so that the controller refuses them
 * before sending.
 */
public record Capability(
        Verb verb,
        Optional<String> unit,
        Optional<ValueRange> range,
        double step,
        List<String> instances,
        Duration settle,
        Duration ramp,
        Optional<ReadBack> readBack,
        boolean dangerous) {

    private static final Pattern INSTANCE_RANGE = Pattern.compile("(\\d{1,4})\\.\\.(\\d{1,4})");
    private static final int MAX_INSTANCES = 1024;

    public Capability {
        Objects.requireNonNull(verb, "verb");
        instances = List.copyOf(instances);
        boolean takesValue = Verbs.takesValue(verb);
        String name = Verbs.name(verb);
        if (takesValue && (unit.isEmpty() || range.isEmpty())) {
            throw new IllegalArgumentException(name + " takes a value: give its unit and range");
        }
        if (!takesValue && (unit.isPresent() || range.isPresent() || step != 0)) {
            throw new IllegalArgumentException(name + " takes no value: unit, range and step do not apply");
        }
        if (Verbs.needsInstance(verb) && instances.isEmpty()) {
            throw new IllegalArgumentException(name + " applies to instances: list them under instances");
        }
        for (String instance : instances) {
            if (!MetricDictionary.isValidInstance(instance) || instance.isEmpty()) {
                throw new IllegalArgumentException("instances: '" + instance + "' must be [a-z0-9_-]{1,32}");
            }
        }
        if (Set.copyOf(instances).size() != instances.size()) {
            throw new IllegalArgumentException("instances: listed twice");
        }
        if (settle.isNegative() || ramp.isNegative()) {
            throw new IllegalArgumentException("settle: durations must not be negative");
        }
        readBack.ifPresent(r -> checkReadBack(name, r, takesValue));
    }

    private static void checkReadBack(String verb, ReadBack readBack, boolean takesValue) {
        MetricDescriptor metric = MetricDictionary.find(readBack.metric());
        if (metric == null) {
            throw new IllegalArgumentException("read-back: unknown metric '" + readBack.metric() + "'; known: "
                    + MetricDictionary.all().stream()
                            .map(MetricDescriptor::name)
                            .toList());
        }
        boolean state = metric.type() == MetricType.METRIC_TYPE_STATE;
        if (state && readBack.expect().isEmpty()) {
            throw new IllegalArgumentException("read-back: " + metric.name() + " is a state: say which one to expect");
        }
        if (!state && readBack.expect().isPresent()) {
            throw new IllegalArgumentException("read-back: expect applies to state metrics only, not " + metric.name());
        }
        if (!state && !takesValue) {
            throw new IllegalArgumentException(
                    "read-back: " + verb + " has no value to compare " + metric.name() + " with; read back a state");
        }
        if (!state) {
            return; // a value read back within the capability's tolerance
        }
        if (metric.name().equals(MetricDictionary.MODE)) {
            readBack.expect().ifPresent(Capability::requireMode);
        } else if (MetricDictionary.stateCode(metric.name(), readBack.expect().orElseThrow())
                .isEmpty()) {
            throw new IllegalArgumentException(
                    "read-back: unknown state '" + readBack.expect().get() + "' of " + metric.name()
                            + "; expected one of " + MetricDictionary.stateNames(metric.name()));
        }
    }

    private static Mode requireMode(String name) {
        for (Mode mode : Mode.values()) {
            if (mode.name().equalsIgnoreCase(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("read-back: unknown state '" + name + "'; expected one of "
                + java.util.Arrays.stream(Mode.values())
                        .map(m -> m.name().toLowerCase(java.util.Locale.ROOT))
                        .toList());
    }

    /**
     * Checks a written capability for a verb and expands its instance ranges.
     *
     * @throws IllegalArgumentException with the key at fault first ({@code instances: …})
     */
    public static Capability of(Verb verb, CapabilitySpec spec) {
        return new Capability(
                verb,
                spec.unit(),
                spec.range(),
                spec.step(),
                expand(spec.instances()),
                spec.settle(),
                spec.ramp(),
                spec.readBack(),
                spec.dangerous());
    }

    private static List<String> expand(List<String> written) {
        Set<String> out = new LinkedHashSet<>();
        for (String item : written) {
            Matcher m = INSTANCE_RANGE.matcher(item);
            if (!m.matches()) {
                if (!out.add(item)) {
                    throw new IllegalArgumentException("instances: '" + item + "' listed twice");
                }
                continue;
            }
            int from = Integer.parseInt(m.group(1));
            int to = Integer.parseInt(m.group(2));
            if (from > to || to - from >= MAX_INSTANCES) {
                throw new IllegalArgumentException(
                        "instances: '" + item + "' must be low..high, at most " + MAX_INSTANCES + " of them");
            }
            for (int i = from; i <= to; i++) {
                if (!out.add(Integer.toString(i))) {
                    throw new IllegalArgumentException("instances: '" + i + "' listed twice");
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** The capability as the Birth declares it. */
    public io.headroom.protocol.wire.Capability toWire() {
        io.headroom.protocol.wire.Capability.Builder wire = io.headroom.protocol.wire.Capability.newBuilder()
                .setVerb(verb)
                .setUnit(unit.orElse(""))
                .setStep(step)
                .addAllInstances(instances)
                .setSettleMs(Math.toIntExact(Math.min(settle.toMillis(), Integer.MAX_VALUE)))
                .setRampMs(Math.toIntExact(Math.min(ramp.toMillis(), Integer.MAX_VALUE)))
                .setDangerous(dangerous);
        range.ifPresent(r -> wire.setMin(r.min()).setMax(r.max()));
        readBack.ifPresent(r -> wire.setReadBackMetric(r.metric()).setTolerance(r.tolerance()));
        return wire.build();
    }

    /** The state a {@code mode} read-back expects; empty for other read-backs. */
    public Optional<Mode> expectedMode() {
        return readBack.filter(r -> r.metric().equals(MetricDictionary.MODE))
                .flatMap(ReadBack::expect)
                .map(Capability::requireMode);
    }

    /** The code of the state a state read-back expects (a {@code mode} or {@code outlet.state} code). */
    public java.util.OptionalInt expectedStateCode() {
        if (readBack.isEmpty() || readBack.get().expect().isEmpty()) {
            return java.util.OptionalInt.empty();
        }
        Optional<Mode> mode = expectedMode();
        return mode.isPresent()
                ? java.util.OptionalInt.of(mode.get().code())
                : MetricDictionary.stateCode(
                        readBack.get().metric(), readBack.get().expect().get());
    }
}
