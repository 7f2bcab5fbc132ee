package io.headroom.agent.driver.snmp;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.protocol.MetricDictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snmp4j.smi.OID;

/**
 * A table walked column by column ({@code points.tables[]}). Each row's instance is
 * {@code instance-prefix} followed by the integer in the {@code instance-from} column of that row, or
 * by the row index itself when {@code instance-from} is {@code row}.
 *
 * <p>The instance is the device's own number for the thing (APC's {@code rPDU2OutletMeteredStatusNumber}),
 * not the row index: on rPDU2 the two differ (TELEMETRY.md §3.1). Controls find their row through the
 * same mapping, so a command for outlet 7 is sent to the row whose number column says 7.
 *
 * @param name how controls refer to the table
 * @param instanceFrom the OID of the column holding each row's number, or {@code row}
 * @param instancePrefix put before the number: {@code phase} makes phase 1 {@code phase1}
 * @param maxRows rows read at most; a walk stops there even if the device has more
 * @param columns the metrics of the table
 */
public record SnmpTable(
        @Doc("Name controls refer to the table by.") String name,

        @Doc("OID of the column holding each row's number (the instance), or 'row' for the row index.")
        String instanceFrom,

        @Doc("Put before the number in the instance: 'phase' makes phase1.") @Default("")
        String instancePrefix,

        @Doc("Rows read at most.") @Default("256") @Range(min = "1", max = "4096")
        int maxRows,

        @Doc("The metrics of the table, one column each.") List<SnmpColumn> columns) {

    /** {@code instance-from} value that takes the row index as the number. */
    public static final String ROW = "row";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    public SnmpTable {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' must be [a-z0-9-], at most 32 characters");
        }
        if (!ROW.equals(instanceFrom)) {
            SnmpOids.parse(instanceFrom, "instance-from");
        }
        if (!MetricDictionary.isValidInstance(instancePrefix)) {
            throw new IllegalArgumentException("instance-prefix: '" + instancePrefix + "' must be [a-z0-9_-]");
        }
        if (maxRows < 1 || maxRows > 4096) {
            throw new IllegalArgumentException("max-rows: " + maxRows + " must be 1 to 4096");
        }
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("columns: a table needs at least one column");
        }
        Set<String> metrics = new HashSet<>();
        for (SnmpColumn column : columns) {
            if (!metrics.add(column.metric())) {
                throw new IllegalArgumentException(
                        "columns: metric " + column.metric() + " is read twice in table " + name);
            }
        }
    }

    /** The column holding each row's number; empty when the row index is the number. */
    public Optional<OID> instanceColumn() {
        return ROW.equals(instanceFrom) ? Optional.empty() : Optional.of(SnmpOids.parse(instanceFrom, "instance-from"));
    }

    /** The column of a metric, if the table has one. */
    public Optional<SnmpColumn> column(String metric) {
        return columns.stream().filter(c -> c.metric().equals(metric)).findFirst();
    }

    /** The instance of a row whose number is {@code number}. */
    public String instanceOf(long number) {
        return instancePrefix + number;
    }

    /** True if an instance could come from this table: the prefix followed by a number. */
    public boolean couldProduce(String instance) {
        return instance.startsWith(instancePrefix)
                && instance.length() > instancePrefix.length()
                && instance.substring(instancePrefix.length()).chars().allMatch(Character::isDigit);
    }
}
