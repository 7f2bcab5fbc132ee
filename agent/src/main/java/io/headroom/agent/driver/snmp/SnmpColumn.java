package io.headroom.agent.driver.snmp;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snmp4j.smi.OID;

/**
 * One metric read from a table column ({@code points.tables[].columns[]}): each row gives one reading,
 * with the instance of the row's table.
 *
 * @param metric canonical metric name
 * @param oid the column's OID, without a row suffix ({@code …26.9.4.3.1.7})
 * @param scale factor from the device's unit to the metric's
 * @param sentinels raw values that mean "no reading"
 * @param states device integer → state name, for state metrics
 * @param decimalsFrom a column (same row) holding how many decimal digits the raw value has: Raritan's
 *     {@code outletSensorDecimalDigits}, ENTITY-SENSOR-MIB's {@code entPhySensorPrecision}
 * @param indexSuffix trailing row-index parts a row must end with, dropped before the row becomes an
 *     instance: Raritan rows are {@code outlet.sensorType}, so {@code [5]} keeps active power and leaves
 *     the outlet number
 * @param when conditions on other columns of the row, all of which must hold
 */
public record SnmpColumn(
        @Doc("Canonical metric name.") String metric,

        @Doc("Numeric OID of the column, without a row suffix.")
        String oid,

        @Doc("Factor from the device's unit to the metric's unit.") @Default("1")
        double scale,

        @Doc("Raw values that mean no reading, e.g. -1.") List<Long> sentinels,

        @Doc("Device integer → state name, for state metrics.")
        Map<String, String> states,

        @Doc("OID of a column (same row) holding the number of decimal digits of the value.")
        Optional<String> decimalsFrom,

        @Doc("Trailing row-index parts a row must end with; dropped before the row becomes an instance.")
        List<Long> indexSuffix,

        @Doc("Conditions on other columns of the same row; a row failing one yields no reading.")
        List<SnmpCondition> when)
        implements SnmpValueMapping {

    public SnmpColumn {
        SnmpOids.parse(oid, "oid");
        sentinels = List.copyOf(sentinels);
        states = Map.copyOf(states);
        SnmpValueMapping.check(metric, scale, states);
        decimalsFrom.ifPresent(o -> SnmpOids.parse(o, "decimals-from"));
        indexSuffix = List.copyOf(indexSuffix);
        for (Long part : indexSuffix) {
            if (part < 0 || part > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("index-suffix: " + part + " is not an OID sub-identifier");
            }
        }
        when = List.copyOf(when);
    }

    /** A column with a fixed scale, no digits column, no index suffix and no conditions. */
    public SnmpColumn(String metric, String oid, double scale, List<Long> sentinels, Map<String, String> states) {
        this(metric, oid, scale, sentinels, states, Optional.empty(), List.of(), List.of());
    }

    /**
     * The part of a row index that names the instance: {@code row} without {@link #indexSuffix}, or
     * empty when the row does not end with it.
     */
    public Optional<OID> instanceRow(OID row) {
        int keep = row.size() - indexSuffix.size();
        if (keep < 0) {
            return Optional.empty();
        }
        for (int i = 0; i < indexSuffix.size(); i++) {
            if ((row.get(keep + i) & 0xFFFF_FFFFL) != indexSuffix.get(i)) {
                return Optional.empty();
            }
        }
        return Optional.of(new OID(row.getValue(), 0, keep));
    }

    /** The parsed column OID. */
    public OID parsedOid() {
        return SnmpOids.parse(oid, "oid");
    }
}
