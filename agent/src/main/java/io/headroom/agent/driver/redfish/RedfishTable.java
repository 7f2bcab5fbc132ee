package io.headroom.agent.driver.redfish;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Metrics per instance ({@code points.tables[]} of a redfish profile). Rows are either the elements
 * of an array inside the resource ({@code rows: Temperatures} of the legacy {@code Thermal}) or,
 * with {@code members: true}, the members of a collection, each fetched ({@code Sensors},
 * {@code PowerSubsystem/PowerSupplies}); {@code member-suffix} then reads a sub-resource of each
 * member ({@code Metrics} of a power supply) after {@code where} was checked on the member itself.
 * A row without a column's value gives no reading for it (a disabled sensor), never a zero.
 *
 * @param resource the resource (or collection) below {@code /redfish/v1}
 * @param rows field path of the array of rows; empty with {@code members}
 * @param members rows are the collection's {@code Members}
 * @param memberSuffix sub-resource of each member to read the columns from; empty for the member
 * @param instanceFrom field path of the row's name ({@code Id}, {@code MemberId}); the instance
 * @param instancePrefix put before the name ({@code psu} + {@code 0})
 * @param where keep only rows where this holds
 * @param maxRows at most this many rows are read: a bound on requests per poll for collections
 * @param columns the metrics of each row
 * @param degradedWhen rows that make the device DEGRADED (a leak, a failed pump), checked on the row
 */
public record RedfishTable(
        @Doc("Resource or collection below /redfish/v1.") String resource,

        @Doc("Field path of the array of rows; empty with members: true.") @Default("")
        String rows,

        @Doc("Rows are the collection's Members, each fetched.") @Default("false")
        boolean members,

        @Doc("Sub-resource of each member to read the columns from, e.g. Metrics.") @Default("")
        String memberSuffix,

        @Doc("Field path of the row's name, the instance (Id, MemberId).")
        String instanceFrom,

        @Doc("Put before the row's name in the instance.") @Default("")
        String instancePrefix,

        @Doc("Keep only rows where this holds.") Optional<RedfishCondition> where,

        @Doc("At most this many rows are read.") @Default("32") @Range(min = "1", max = "256")
        int maxRows,

        @Doc("The metrics of each row.") List<RedfishColumn> columns,

        @Doc("Rows that make the device DEGRADED: {path, pattern, reason}.")
        List<RedfishAlarm> degradedWhen) {

    public RedfishTable {
        Objects.requireNonNull(resource, "resource");
        RedfishPaths.requireResource(resource, "resource");
        Objects.requireNonNull(rows, "rows");
        if (members != rows.isEmpty()) {
            throw new IllegalArgumentException("rows: give either rows (an array in the resource) or members: true");
        }
        if (!rows.isEmpty()) {
            RedfishPaths.requireField(rows, "rows");
        }
        Objects.requireNonNull(memberSuffix, "memberSuffix");
        if (!memberSuffix.isEmpty()) {
            if (!members) {
                throw new IllegalArgumentException("member-suffix: only used with members: true");
            }
            RedfishPaths.requireResource(memberSuffix, "member-suffix");
        }
        Objects.requireNonNull(instanceFrom, "instanceFrom");
        RedfishPaths.requireField(instanceFrom, "instance-from");
        Objects.requireNonNull(instancePrefix, "instancePrefix");
        if (!instancePrefix.matches("[a-z0-9_-]{0,16}")) {
            throw new IllegalArgumentException("instance-prefix: '" + instancePrefix + "' must be [a-z0-9_-]{0,16}");
        }
        Objects.requireNonNull(where, "where");
        if (maxRows < 1 || maxRows > 256) {
            throw new IllegalArgumentException("max-rows: " + maxRows + " must be 1 to 256");
        }
        columns = List.copyOf(columns);
        degradedWhen = List.copyOf(degradedWhen);
        if (columns.isEmpty() && degradedWhen.isEmpty()) {
            throw new IllegalArgumentException("columns: a table needs at least one column or degraded-when");
        }
    }
}
