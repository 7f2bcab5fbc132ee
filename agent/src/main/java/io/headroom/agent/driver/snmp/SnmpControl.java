package io.headroom.agent.driver.snmp;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.Objects;
import org.snmp4j.smi.OID;

/**
 * What one capability sets ({@code points.controls.<verb>} of an snmp profile): the INTEGER
 * {@code value} at {@code oid}. In the template, {@code {row}} is the row of the command's instance in
 * {@code table}, found through that table's {@code instance-from} column when the command is sent —
 * never the instance number itself (TELEMETRY.md §3.1: rPDU2 row index is not the outlet number).
 *
 * <p>The read-back is not written here: it is the capability's {@code read-back} metric, read from
 * that metric's column in the same table and row, its expected state turned into the device integer
 * by the column's {@code states}. One source, so the two cannot disagree.
 *
 * @param table the table whose rows the command's instances are; empty for a device-wide verb
 * @param oid the OID template, e.g. {@code 1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.{row}}
 * @param value the INTEGER to set, e.g. {@code 2} for rPDU2 immediateOff
 */
public record SnmpControl(
        @Doc("Table whose rows the command's instances are; empty for a device-wide verb.") @Default("")
        String table,

        @Doc("OID template; {row} is the row of the command's instance in the table.")
        String oid,

        @Doc("INTEGER value to set.") long value) {

    /** The placeholder of the row. */
    public static final String ROW = "{row}";

    public SnmpControl {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(oid, "oid");
        String probe = oid.replace(ROW, "1");
        if (probe.contains("{") || probe.contains("}")) {
            throw new IllegalArgumentException("oid: unknown placeholder in '" + oid + "'; the only one is {row}");
        }
        SnmpOids.parse(probe, "oid");
        boolean usesRow = oid.contains(ROW); // not usesRow(): the fields are not set yet here
        if (usesRow && !oid.endsWith("." + ROW)) {
            throw new IllegalArgumentException("oid: {row} must be the last part, as in …26.9.2.4.1.5.{row}");
        }
        if (usesRow && table.isEmpty()) {
            throw new IllegalArgumentException("table: oid uses {row}, so name the table whose rows it means");
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("value: " + value + " does not fit an SNMP INTEGER (32 bits)");
        }
    }

    /** True if the template uses {@code {row}}. */
    public boolean usesRow() {
        return oid.contains(ROW);
    }

    /** The OID to set, with the row filled in ({@code row} is ignored without {@code {row}}). */
    public OID resolve(OID row) {
        if (!usesRow()) {
            return SnmpOids.parse(oid, "oid");
        }
        OID base = SnmpOids.parse(oid.substring(0, oid.length() - ROW.length() - 1), "oid");
        return new OID(base).append(row);
    }
}
