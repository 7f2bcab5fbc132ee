package io.headroom.agent.driver.snmp;

import io.headroom.config.Doc;
import java.util.List;
import org.snmp4j.smi.OID;

/**
 * A condition on a table row ({@code points.tables[].columns[].when[]}): the row's value in another
 * column of the same index is one of {@code is}. A row that fails it, or has no value there, yields no
 * reading of that column. This is how one value column holds several metrics told apart by a type
 * column (ENTITY-SENSOR-MIB {@code entPhySensorType} celsius(8) or percentRH(9)), and how a status
 * column marks a value as not usable ({@code entPhySensorOperStatus} other than ok(1)).
 *
 * @param oid the other column's OID, without a row suffix; read at the same row as the value
 * @param is the integers that let the row through
 */
public record SnmpCondition(
        @Doc("OID of the column to test, without a row suffix; read at the value's row.")
        String oid,

        @Doc("Integers that let the row through.") List<Long> is) {

    public SnmpCondition {
        SnmpOids.parse(oid, "oid");
        is = List.copyOf(is);
        if (is.isEmpty()) {
            throw new IllegalArgumentException("is: list the integers that let a row through");
        }
    }

    /** The parsed column OID. */
    public OID parsedOid() {
        return SnmpOids.parse(oid, "oid");
    }
}
