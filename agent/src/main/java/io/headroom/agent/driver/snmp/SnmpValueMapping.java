package io.headroom.agent.driver.snmp;

import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.MetricType;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * How one SNMP value becomes one reading: times {@code scale}, unless it is one of the {@code sentinels}
 * that mean "no reading" (APC's −1 for "unsupported"); or, for a state metric, looked up in
 * {@code states} (device integer → state name of the metric, e.g. {@code 1: off}, {@code 2: on}).
 * A state value not listed is unknown and yields no reading, never a guessed one.
 */
interface SnmpValueMapping {

    String metric();

    double scale();

    List<Long> sentinels();

    Map<String, String> states();

    /** Decimal digits a value may have: ENTITY-SENSOR-MIB's precision goes to 9, Raritan's in practice to 3. */
    int MAX_DECIMALS = 9;

    /**
     * The reading a raw integer with {@code decimals} decimal digits maps to ({@code 1234} with 2 is
     * 12.34, before {@code scale}), or empty for a sentinel or an unknown state. A negative count is
     * read as 0: ENTITY-SENSOR-MIB's negative precision counts accurate digits and does not shift.
     */
    default OptionalDouble map(long raw, int decimals) {
        OptionalDouble value = map(raw);
        if (value.isEmpty() || decimals <= 0 || !states().isEmpty()) {
            return value;
        }
        double shifted = value.getAsDouble() / Math.pow(10, Math.min(decimals, MAX_DECIMALS));
        return Double.isFinite(shifted) ? OptionalDouble.of(shifted) : OptionalDouble.empty();
    }

    /** The reading a raw integer maps to, or empty for a sentinel or an unknown state. */
    default OptionalDouble map(long raw) {
        if (sentinels().contains(raw)) {
            return OptionalDouble.empty();
        }
        if (!states().isEmpty()) {
            String state = states().get(Long.toString(raw));
            return state == null
                    ? OptionalDouble.empty()
                    : OptionalDouble.of(
                            MetricDictionary.stateCode(metric(), state).orElseThrow());
        }
        double value = raw * scale();
        return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
    }

    /** The device integer that stands for a state of this mapping's metric, if the mapping lists one. */
    default java.util.OptionalLong rawOf(String state) {
        for (Map.Entry<String, String> entry : states().entrySet()) {
            if (entry.getValue().equals(state)) {
                return java.util.OptionalLong.of(Long.parseLong(entry.getKey()));
            }
        }
        return java.util.OptionalLong.empty();
    }

    /**
     * Checks metric, scale and states together; what every mapping's constructor calls.
     *
     * @throws IllegalArgumentException with the key at fault first
     */
    static void check(String metric, double scale, Map<String, String> states) {
        if (MetricDictionary.find(metric) == null) {
            throw new IllegalArgumentException("metric: unknown metric '" + metric + "'; known: "
                    + MetricDictionary.all().stream().map(m -> m.name()).toList());
        }
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("scale: must be a non-zero number");
        }
        boolean stateMetric = MetricDictionary.require(metric).type() == MetricType.METRIC_TYPE_STATE;
        if (stateMetric && states.isEmpty()) {
            throw new IllegalArgumentException("states: required for state metric '" + metric
                    + "': map each device integer to one of " + MetricDictionary.stateNames(metric));
        }
        if (!stateMetric && !states.isEmpty()) {
            throw new IllegalArgumentException("states: only for state metrics, not '" + metric + "'");
        }
        for (Map.Entry<String, String> entry : states.entrySet()) {
            try {
                Long.parseLong(entry.getKey());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("states: key '" + entry.getKey() + "' is not an integer", e);
            }
            if (MetricDictionary.stateCode(metric, entry.getValue()).isEmpty()) {
                throw new IllegalArgumentException("states: '" + entry.getValue() + "' is not a state of " + metric
                        + "; known: " + MetricDictionary.stateNames(metric));
            }
        }
    }
}
