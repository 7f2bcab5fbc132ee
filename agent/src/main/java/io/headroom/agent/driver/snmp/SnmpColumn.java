package io.headroom.agent.driver.snmp;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.List;
import java.util.Map;
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
 */
public record SnmpColumn(
        @Doc("Canonical metric name.") String metric,

        @Doc("Numeric OID of the column, without a row suffix.")
        String oid,

        @Doc("Factor from the device's unit to the metric's unit.") @Default("1")
        double scale,

        @Doc("Raw values that mean no reading, e.g. -1.") List<Long> sentinels,

        @Doc("Device integer → state name, for state metrics.")
        Map<String, String> states)
        implements SnmpValueMapping {

    public SnmpColumn {
        SnmpOids.parse(oid, "oid");
        sentinels = List.copyOf(sentinels);
        states = Map.copyOf(states);
        SnmpValueMapping.check(metric, scale, states);
    }

    /** The parsed column OID. */
    public OID parsedOid() {
        return SnmpOids.parse(oid, "oid");
    }
}
