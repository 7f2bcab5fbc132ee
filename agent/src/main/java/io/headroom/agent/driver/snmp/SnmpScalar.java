package io.headroom.agent.driver.snmp;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.protocol.MetricDictionary;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.snmp4j.smi.OID;

/**
 * One metric read with a GET of one OID ({@code points.scalars[]} of an snmp profile).
 *
 * @param metric canonical metric name
 * @param instance instance, empty for the device total
 * @param oid the full OID, instance suffix included ({@code …26.4.3.1.5.1})
 * @param scale factor from the device's unit to the metric's ({@code 10} for hundredths of kW → W)
 * @param sentinels raw values that mean "no reading" ({@code -1})
 * @param states device integer → state name, for state metrics
 * @param decimalsFrom full OID of the number of decimal digits of the value (Raritan
 *     {@code inletSensorDecimalDigits.1.1.4}), read in the same GET
 */
public record SnmpScalar(
        @Doc("Canonical metric name.") String metric,

        @Doc("Instance; empty for the device total.") @Default("")
        String instance,

        @Doc("Numeric OID, instance suffix included.") String oid,

        @Doc("Factor from the device's unit to the metric's unit.") @Default("1")
        double scale,

        @Doc("Raw values that mean no reading, e.g. -1.") List<Long> sentinels,

        @Doc("Device integer → state name, for state metrics.")
        Map<String, String> states,

        @Doc("Full OID holding the number of decimal digits of the value, read in the same GET.")
        Optional<String> decimalsFrom)
        implements SnmpValueMapping {

    public SnmpScalar {
        Objects.requireNonNull(instance, "instance");
        if (!MetricDictionary.isValidInstance(instance)) {
            throw new IllegalArgumentException("instance: '" + instance + "' must be [a-z0-9_-]{0,32}");
        }
        SnmpOids.parse(oid, "oid");
        sentinels = List.copyOf(sentinels);
        states = Map.copyOf(states);
        SnmpValueMapping.check(metric, scale, states);
        decimalsFrom.ifPresent(o -> SnmpOids.parse(o, "decimals-from"));
    }

    /** A scalar with a fixed scale. */
    public SnmpScalar(
            String metric,
            String instance,
            String oid,
            double scale,
            List<Long> sentinels,
            Map<String, String> states) {
        this(metric, instance, oid, scale, sentinels, states, Optional.empty());
    }

    /** The parsed OID. */
    public OID parsedOid() {
        return SnmpOids.parse(oid, "oid");
    }
}
