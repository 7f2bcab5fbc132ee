package io.headroom.agent.driver.snmp;

import java.util.List;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * The three SNMP operations the driver's poll and command logic needs, against one device. Over UDP
 * it is {@link SnmpClient}; golden cases answer from a recorded walk, so that the same logic runs
 * without a socket. Telegraf's snmp plugin tests fake the transport the same way (TELEMETRY.md §1.4).
 */
interface SnmpAccess {

    /**
     * GETs the OIDs. An OID the device does not have comes back bound to a
     * {@code noSuchObject}/{@code noSuchInstance} exception value (v1's noSuchName is turned into that).
     */
    List<VariableBinding> get(List<OID> oids) throws SnmpFault, InterruptedException;

    /**
     * Walks a column: the bindings whose OIDs lie below {@code column}, in order, at most
     * {@code maxRows}; empty when the device has no such column.
     */
    List<VariableBinding> walk(OID column, int maxRows) throws SnmpFault, InterruptedException;

    /** SETs one value; returns normally only when the agent accepted it (error-status noError). */
    void set(OID oid, Variable value) throws SnmpFault, InterruptedException;
}
