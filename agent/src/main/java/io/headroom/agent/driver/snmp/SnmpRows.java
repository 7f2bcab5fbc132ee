package io.headroom.agent.driver.snmp;

import java.util.Optional;
import java.util.OptionalLong;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.VariableBinding;

/** Finds the row of an instance in a table: the number column's row that holds the number, or the row index. */
final class SnmpRows {

    private SnmpRows() {}

    /**
     * The row of {@code instance} in {@code table}, read from the device now (rows move when a PDU is
     * added to a daisy chain), or empty when no row has it.
     */
    static Optional<OID> rowOf(SnmpAccess access, SnmpTable table, String instance)
            throws SnmpFault, InterruptedException {
        if (!table.couldProduce(instance)) {
            return Optional.empty();
        }
        long number = Long.parseLong(instance.substring(table.instancePrefix().length()));
        Optional<OID> column = table.instanceColumn();
        if (column.isEmpty()) {
            return number > Integer.MAX_VALUE ? Optional.empty() : Optional.of(new OID(new int[] {(int) number}));
        }
        for (VariableBinding row : access.walk(column.get(), table.maxRows())) {
            OptionalLong value = SnmpPoll.integer(row.getVariable());
            if (value.isPresent() && value.getAsLong() == number) {
                return Optional.of(SnmpPoll.suffix(row.getOid(), column.get()));
            }
        }
        return Optional.empty();
    }
}
