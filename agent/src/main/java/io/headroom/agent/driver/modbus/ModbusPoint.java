package io.headroom.agent.driver.modbus;

import io.headroom.agent.transport.modbus.ModbusTable;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.MetricType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One metric read from a Modbus table ({@code points.reads[]} of a modbus profile): where it is, how
 * its registers hold it, and how the number becomes the metric's value ({@code raw × scale + offset}).
 * A sentinel (the device's "not available", e.g. {@code 0xFFFF}) and a NaN or infinite float are data
 * gaps: the point yields no reading, never a zero.
 *
 * @param metric canonical metric name
 * @param instance instance, empty for the device total
 * @param table which of the four tables
 * @param address wire (0-based) address of its first register or bit, decimal or {@code 0x} hex
 * @param type how the registers hold the value; {@code bool} for coils and discrete inputs
 * @param order byte and word order of a value of more than one byte
 * @param scale factor from the device's unit to the metric's
 * @param offset added after scaling
 * @param sentinels raw values (before scaling) that mean "not available"
 * @param states device value → state name, for state metrics
 */
public record ModbusPoint(
        @Doc("Canonical metric name.") String metric,

        @Doc("Instance; empty for the device total.") @Default("")
        String instance,

        @Doc("coil, discrete-input, holding or input.") ModbusTable table,

        @Doc("Wire (0-based) address of the first register, decimal or 0x hex.")
        String address,

        @Doc("bool, int16, uint16, int32, uint32, int64, uint64, float32 or float64.")
        Optional<ValueType> type,

        @Doc("abcd (big-endian), cdab (word swap), badc (byte swap) or dcba (little-endian).") @Default("abcd")
        WordOrder order,

        @Doc("Factor from the device's unit to the metric's unit.") @Default("1")
        double scale,

        @Doc("Added after scaling.") @Default("0") double offset,

        @Doc("Raw values that mean not available, e.g. 0xFFFF or -1.")
        List<String> sentinels,

        @Doc("Device value → state name, for state metrics.")
        Map<String, String> states) {

    public ModbusPoint {
        Objects.requireNonNull(instance, "instance");
        if (MetricDictionary.find(metric) == null) {
            throw new IllegalArgumentException("metric: unknown metric '" + metric + "'; known: "
                    + MetricDictionary.all().stream().map(m -> m.name()).toList());
        }
        if (!MetricDictionary.isValidInstance(instance)) {
            throw new IllegalArgumentException("instance: '" + instance + "' must be [a-z0-9_-]{0,32}");
        }
        Objects.requireNonNull(table, "table");
        Addresses.parse(address, "address");
        ValueType resolved = type.orElse(table.isBits() ? ValueType.BOOL : ValueType.UINT16);
        if (table.isBits() != (resolved == ValueType.BOOL)) {
            throw new IllegalArgumentException(
                    "type: " + resolved.spelling() + " does not fit table " + table.spelling()
                            + (table.isBits() ? " (bits are bool)" : " (registers hold int16 … float64, not bool)"));
        }
        type = Optional.of(resolved);
        if (Addresses.parse(address, "address") + resolved.words() > 0x10000) {
            throw new IllegalArgumentException(
                    "address: " + address + " + " + resolved.words() + " registers run past 65535");
        }
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("scale: must be a non-zero number");
        }
        if (!Double.isFinite(offset)) {
            throw new IllegalArgumentException("offset: must be a number");
        }
        sentinels = List.copyOf(sentinels);
        Addresses.sentinels(sentinels, resolved, "sentinels");
        states = Map.copyOf(states);
        boolean stateMetric = MetricDictionary.require(metric).type() == MetricType.METRIC_TYPE_STATE;
        if (stateMetric && states.isEmpty()) {
            throw new IllegalArgumentException("states: required for state metric '" + metric
                    + "': map each device value to one of " + MetricDictionary.stateNames(metric));
        }
        if (!stateMetric && !states.isEmpty()) {
            throw new IllegalArgumentException("states: only for state metrics, not '" + metric + "'");
        }
        for (Map.Entry<String, String> entry : states.entrySet()) {
            Addresses.number(entry.getKey(), "states");
            if (MetricDictionary.stateCode(metric, entry.getValue()).isEmpty()) {
                throw new IllegalArgumentException("states: '" + entry.getValue() + "' is not a state of " + metric
                        + "; known: " + MetricDictionary.stateNames(metric));
            }
        }
    }

    /** The value type, with the table's default applied. */
    public ValueType valueType() {
        return type.orElseThrow();
    }

    /** The parsed wire address. */
    public int wireAddress() {
        return Addresses.parse(address, "address");
    }

    /** Registers (or bits) the point spans. */
    public int span() {
        return Math.max(1, valueType().words());
    }

    /**
     * The reading of the point's raw bits ({@link WordOrder#assemble}), or empty for a gap: a sentinel,
     * a non-finite float, a state not listed.
     */
    public OptionalDouble map(long raw) {
        ValueType valueType = valueType();
        if (Addresses.sentinels(sentinels, valueType, "sentinels").contains(raw & valueType.mask())) {
            return OptionalDouble.empty();
        }
        double number = valueType.decode(raw);
        if (!Double.isFinite(number)) {
            return OptionalDouble.empty();
        }
        if (!states.isEmpty()) {
            for (Map.Entry<String, String> entry : states.entrySet()) {
                if (Addresses.number(entry.getKey(), "states") == (long) number) {
                    return OptionalDouble.of(
                            MetricDictionary.stateCode(metric, entry.getValue()).orElseThrow());
                }
            }
            return OptionalDouble.empty();
        }
        double value = number * scale + offset;
        return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
    }
}
