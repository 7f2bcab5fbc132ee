package io.headroom.agent.driver.snmp;

import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.DeviceHealth;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UnsignedInteger32;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * One poll of an snmp profile against an {@link SnmpAccess}: a GET of every scalar (with the identity
 * objects when asked), then a walk of each table's instance column and value columns, then the mapping
 * of what came back to readings. The same code runs over UDP and in the golden cases.
 *
 * <p>What is missing is named: a scalar OID the device does not have, or a column with no rows,
 * makes the poll DEGRADED with reason {@code no-such-object} and the OIDs in the message, keeping
 * every other reading. A transport fault (timeout, auth) ends the poll at once, so that a silent
 * device costs one timeout per poll, not one per request: OFFLINE when nothing was read yet.
 */
final class SnmpPoll {

    /** Reason of a DEGRADED poll where a mapped OID or column does not exist on the device. */
    static final String NO_SUCH_OBJECT = "no-such-object";
    /** Reason of a DEGRADED poll where a value has the wrong type (a string where a number was mapped). */
    static final String BAD_VALUE = "bad-value";

    /** OIDs in one GET request: well under what a 484-byte v1 PDU minimum could carry for short values. */
    static final int GET_BATCH = 20;

    private final SnmpProfile profile;
    private final SnmpAccess access;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Reading> readings = new LinkedHashMap<>();
    private SnmpFault fault;
    private int answered;

    private record Problem(String reason, String text) {}

    private SnmpPoll(SnmpProfile profile, SnmpAccess access) {
        this.profile = profile;
        this.access = access;
    }

    /**
     * Polls the device.
     *
     * @param wantIdentity also read sysDescr, sysObjectID and the model OID
     */
    static PollResult run(Clock clock, SnmpProfile profile, SnmpAccess access, boolean wantIdentity)
            throws InterruptedException {
        return new SnmpPoll(profile, access).poll(clock, wantIdentity);
    }

    private PollResult poll(Clock clock, boolean wantIdentity) throws InterruptedException {
        SnmpPoints points = profile.points();
        SnmpIdentitySpec identitySpec = points.identityOrDefault();
        List<OID> oids = new ArrayList<>();
        if (wantIdentity) {
            oids.add(SnmpOids.SYS_DESCR);
            oids.add(SnmpOids.SYS_OBJECT_ID);
            identitySpec.modelOid().ifPresent(oid -> oids.add(SnmpOids.parse(oid, "model-oid")));
        }
        points.scalars().forEach(s -> oids.add(s.parsedOid()));
        points.scalars().forEach(s -> s.decimalsFrom().ifPresent(d -> oids.add(SnmpOids.parse(d, "decimals-from"))));
        Map<OID, Variable> got = get(oids);

        DeviceIdentity identity = null;
        if (wantIdentity && fault == null) {
            identity = identity(identitySpec, got);
        }
        for (SnmpScalar scalar : points.scalars()) {
            if (fault != null) {
                break;
            }
            Variable value = got.get(scalar.parsedOid());
            if (value == null || value.isException()) {
                problems.add(new Problem(NO_SUCH_OBJECT, scalar.oid() + " (" + scalar.metric() + ")"));
                continue;
            }
            OptionalLong raw = integer(value);
            if (raw.isEmpty()) {
                problems.add(new Problem(
                        BAD_VALUE,
                        scalar.oid() + " is " + value.getSyntaxString() + ", not a number (" + scalar.metric() + ")"));
                continue;
            }
            OptionalInt decimals = scalar.decimalsFrom().isEmpty()
                    ? OptionalInt.of(0)
                    : decimals(
                            scalar.decimalsFrom().get(),
                            got.get(SnmpOids.parse(scalar.decimalsFrom().get(), "")));
            if (decimals.isPresent()) {
                put(scalar.metric(), scalar.instance(), scalar.map(raw.getAsLong(), decimals.getAsInt()));
            }
        }
        for (SnmpTable table : points.tables()) {
            if (fault != null) {
                break;
            }
            readTable(table);
        }
        return result(clock, identity);
    }

    private Map<OID, Variable> get(List<OID> oids) throws InterruptedException {
        Map<OID, Variable> out = new LinkedHashMap<>();
        for (int from = 0; from < oids.size() && fault == null; from += GET_BATCH) {
            List<OID> batch = oids.subList(from, Math.min(oids.size(), from + GET_BATCH));
            try {
                for (VariableBinding binding : access.get(batch)) {
                    out.put(binding.getOid(), binding.getVariable());
                }
                answered++;
            } catch (SnmpFault e) {
                failed(e);
            }
        }
        return out;
    }

    private void readTable(SnmpTable table) throws InterruptedException {
        Map<OID, String> instanceOfRow = new LinkedHashMap<>();
        Optional<OID> instanceColumn = table.instanceColumn();
        if (instanceColumn.isPresent()) {
            List<VariableBinding> rows = walk(instanceColumn.get(), table.maxRows());
            if (rows == null) {
                return;
            }
            if (rows.isEmpty()) {
                problems.add(new Problem(
                        NO_SUCH_OBJECT,
                        "column " + table.instanceFrom() + " (instances of table " + table.name() + ") has no rows"));
                return;
            }
            for (VariableBinding row : rows) {
                OptionalLong number = integer(row.getVariable());
                OID suffix = suffix(row.getOid(), instanceColumn.get());
                if (number.isEmpty() || number.getAsLong() < 0) {
                    problems.add(new Problem(BAD_VALUE, row.getOid() + " is not an instance number"));
                } else if (instanceOfRow.containsValue(table.instanceOf(number.getAsLong()))) {
                    problems.add(new Problem(
                            BAD_VALUE,
                            "table " + table.name() + ": two rows say they are " + table.instanceOf(number.getAsLong())
                                    + "; the second, row " + suffix + ", is left out"));
                } else {
                    instanceOfRow.put(suffix, table.instanceOf(number.getAsLong()));
                }
            }
        }
        for (SnmpColumn column : table.columns()) {
            OID columnOid = column.parsedOid();
            List<VariableBinding> rows = walk(columnOid, table.maxRows());
            if (rows == null) {
                return;
            }
            if (rows.isEmpty()) {
                problems.add(new Problem(
                        NO_SUCH_OBJECT,
                        "column " + column.oid() + " (" + column.metric() + " of table " + table.name()
                                + ") has no rows"));
                continue;
            }
            Map<OID, Variable> digits = new LinkedHashMap<>();
            if (column.decimalsFrom().isPresent()
                    && !walkInto(digits, column.decimalsFrom().get(), table, column)) {
                return;
            }
            List<Map<OID, Variable>> conditions = new ArrayList<>();
            for (SnmpCondition condition : column.when()) {
                Map<OID, Variable> values = new LinkedHashMap<>();
                if (!walkInto(values, condition.oid(), table, column)) {
                    return;
                }
                conditions.add(values);
            }
            for (VariableBinding row : rows) {
                OID suffix = suffix(row.getOid(), columnOid);
                if (!holds(column.when(), conditions, suffix)) {
                    continue;
                }
                Optional<OID> key = column.instanceRow(suffix);
                if (key.isEmpty()) {
                    continue; // another index suffix: a row of another metric
                }
                String instance =
                        instanceColumn.isPresent() ? instanceOfRow.get(key.get()) : rowInstance(table, key.get());
                if (instance == null) {
                    continue; // a row without a number was reported above, or the instance column is shorter
                }
                OptionalLong raw = integer(row.getVariable());
                if (raw.isEmpty()) {
                    problems.add(new Problem(
                            BAD_VALUE,
                            row.getOid() + " is " + row.getVariable().getSyntaxString() + ", not a number ("
                                    + column.metric() + ")"));
                    continue;
                }
                OptionalInt decimals = column.decimalsFrom().isEmpty()
                        ? OptionalInt.of(0)
                        : decimals(column.decimalsFrom().get() + "." + suffix, digits.get(suffix));
                if (decimals.isPresent()) {
                    put(column.metric(), instance, column.map(raw.getAsLong(), decimals.getAsInt()));
                }
            }
        }
    }

    /**
     * Walks a helper column of {@code column} (its digits or a condition) into {@code into}, by row.
     * False when a transport fault ended the poll; a column with no rows is named as missing.
     */
    private boolean walkInto(Map<OID, Variable> into, String oid, SnmpTable table, SnmpColumn column)
            throws InterruptedException {
        OID base = SnmpOids.parse(oid, "oid");
        List<VariableBinding> rows = walk(base, table.maxRows());
        if (rows == null) {
            return false;
        }
        if (rows.isEmpty()) {
            problems.add(new Problem(
                    NO_SUCH_OBJECT,
                    "column " + oid + " (for " + column.metric() + " of table " + table.name() + ") has no rows"));
        }
        rows.forEach(row -> into.put(suffix(row.getOid(), base), row.getVariable()));
        return true;
    }

    /** True if the row's value in every condition's column is one the condition lets through. */
    private static boolean holds(List<SnmpCondition> when, List<Map<OID, Variable>> values, OID row) {
        for (int i = 0; i < when.size(); i++) {
            Variable value = values.get(i).get(row);
            OptionalLong number = value == null ? OptionalLong.empty() : integer(value);
            if (number.isEmpty() || !when.get(i).is().contains(number.getAsLong())) {
                return false;
            }
        }
        return true;
    }

    /** The decimal digits read at {@code oid}; empty, with the problem noted, when absent or unusable. */
    private OptionalInt decimals(String oid, Variable value) {
        if (value == null || value.isException()) {
            problems.add(new Problem(NO_SUCH_OBJECT, oid + " (decimal digits)"));
            return OptionalInt.empty();
        }
        OptionalLong digits = integer(value);
        if (digits.isEmpty() || digits.getAsLong() > SnmpValueMapping.MAX_DECIMALS) {
            problems.add(new Problem(BAD_VALUE, oid + " is " + value + ", not a count of decimal digits 0 to 9"));
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) Math.max(0, digits.getAsLong()));
    }

    /** The instance of a row when the row index is the number: a one-part index only. */
    private String rowInstance(SnmpTable table, OID suffix) {
        if (suffix.size() != 1 || suffix.get(0) < 0) {
            problems.add(new Problem(
                    BAD_VALUE,
                    "table " + table.name() + ": row " + suffix + " is not a single number, so it has no instance"));
            return null;
        }
        return table.instanceOf(suffix.get(0));
    }

    private List<VariableBinding> walk(OID column, int maxRows) throws InterruptedException {
        try {
            List<VariableBinding> rows = access.walk(column, maxRows);
            answered++;
            return rows;
        } catch (SnmpFault e) {
            failed(e);
            return null;
        }
    }

    private void failed(SnmpFault e) {
        if (e.isTransport()) {
            fault = e;
        } else {
            problems.add(new Problem(e.reason(), e.getMessage()));
        }
    }

    private void put(String metric, String instance, OptionalDouble value) {
        if (value.isPresent()) {
            readings.putIfAbsent(
                    MetricDictionary.displayKey(metric, instance), Reading.of(metric, instance, value.getAsDouble()));
        }
    }

    private PollResult result(Clock clock, DeviceIdentity identity) {
        if (fault != null && answered == 0) {
            return PollResult.offline(clock.instant(), fault.reason(), fault.getMessage());
        }
        List<Reading> list = List.copyOf(readings.values());
        if (fault == null && problems.isEmpty()) {
            return new PollResult(clock.instant(), DeviceHealth.DEVICE_HEALTH_ONLINE, "", "", identity, list);
        }
        String reason = fault != null ? fault.reason() : problems.get(0).reason();
        List<String> parts = new ArrayList<>();
        if (fault != null) {
            parts.add("poll cut short: " + fault.getMessage());
        }
        for (String kind : new String[] {NO_SUCH_OBJECT, BAD_VALUE}) {
            List<String> texts = problems.stream()
                    .filter(p -> p.reason().equals(kind))
                    .map(Problem::text)
                    .toList();
            if (!texts.isEmpty()) {
                parts.add((kind.equals(NO_SUCH_OBJECT) ? "not on the device: " : "unusable values: ")
                        + String.join(", ", texts));
            }
        }
        problems.stream()
                .filter(p -> !p.reason().equals(NO_SUCH_OBJECT) && !p.reason().equals(BAD_VALUE))
                .forEach(p -> parts.add(p.text()));
        return new PollResult(
                clock.instant(), DeviceHealth.DEVICE_HEALTH_DEGRADED, reason, String.join("; ", parts), identity, list);
    }

    private static DeviceIdentity identity(SnmpIdentitySpec spec, Map<OID, Variable> got) {
        String descr = text(got.get(SnmpOids.SYS_DESCR));
        String model = spec.modelOid()
                .map(oid -> text(got.get(SnmpOids.parse(oid, "model-oid"))))
                .orElse(null);
        if (descr == null && model == null) {
            return null;
        }
        String firmware = descr == null ? null : spec.firmware(descr).orElse(null);
        return new DeviceIdentity(
                model == null || model.isBlank() ? (descr == null ? "unknown" : descr) : model,
                firmware == null ? "unknown" : firmware);
    }

    /** A printable string value, or null when absent or not a string. */
    static String text(Variable value) {
        if (!(value instanceof OctetString string)) {
            return null;
        }
        String text = string.isPrintable()
                ? string.toString()
                : new String(string.getValue(), java.nio.charset.StandardCharsets.ISO_8859_1);
        return text.strip();
    }

    /** The integer of an INTEGER, Counter, Gauge or TimeTicks value; empty for anything else. */
    static OptionalLong integer(Variable value) {
        if (value instanceof Integer32 || value instanceof UnsignedInteger32 || value instanceof Counter64) {
            return OptionalLong.of(value.toLong());
        }
        return OptionalLong.empty();
    }

    /** The row part of an OID below a column. */
    static OID suffix(OID oid, OID column) {
        return new OID(oid.getValue(), column.size(), oid.size() - column.size());
    }
}
