package io.headroom.agent.driver.snmp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/** {@link SnmpAccess} answering from a recorded walk, as an agent serving it would; SETs are refused. */
final class SnmprecAccess implements SnmpAccess {

    private final NavigableMap<OID, Variable> walk;

    SnmprecAccess(NavigableMap<OID, Variable> walk) {
        this.walk = walk;
    }

    @Override
    public List<VariableBinding> get(List<OID> oids) {
        List<VariableBinding> out = new ArrayList<>();
        for (OID oid : oids) {
            Variable value = walk.get(oid);
            out.add(new VariableBinding(oid, value == null ? Null.noSuchObject : value));
        }
        return out;
    }

    @Override
    public List<VariableBinding> walk(OID column, int maxRows) {
        List<VariableBinding> out = new ArrayList<>();
        for (Map.Entry<OID, Variable> entry : walk.tailMap(column, false).entrySet()) {
            if (!entry.getKey().startsWith(column) || out.size() >= maxRows) {
                break;
            }
            out.add(new VariableBinding(entry.getKey(), entry.getValue()));
        }
        return out;
    }

    @Override
    public void set(OID oid, Variable value) throws SnmpFault {
        throw new SnmpFault(SnmpFault.DEVICE_ERROR, "SET of " + oid + " failed: notWritable (a recorded walk)", false);
    }
}
