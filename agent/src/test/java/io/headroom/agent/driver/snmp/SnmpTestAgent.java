package io.headroom.agent.driver.snmp;

import java.io.IOException;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import org.snmp4j.Snmp;
import org.snmp4j.agent.CommandProcessor;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.DuplicateRegistrationException;
import org.snmp4j.agent.mo.MOAccessImpl;
import org.snmp4j.agent.mo.MOScalar;
import org.snmp4j.agent.mo.snmp.CoexistenceInfo;
import org.snmp4j.agent.mo.snmp.CoexistenceInfoProvider;
import org.snmp4j.agent.security.VACM;
import org.snmp4j.mp.MPv3;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * A real SNMP agent (SNMP4J-agent) on {@code 127.0.0.1}, a free UDP port, serving a recorded walk for
 * v1 and v2c. Requests with another community are dropped unanswered, as real v1/v2c agents do.
 * SETs of rPDU2OutletSwitchedControlCommand change the row's rPDU2OutletSwitchedStatusState the way
 * the MIB describes (immediateOn 1 → on 2, immediateOff 2 → off 1, immediateReboot 3 → on 2 once done),
 * so a driver's read-back sees the effect.
 */
final class SnmpTestAgent implements AutoCloseable {

    static final OID CONTROL_COMMAND = new OID("1.3.6.1.4.1.318.1.1.26.9.2.4.1.5");
    static final OID SWITCHED_STATE = new OID("1.3.6.1.4.1.318.1.1.26.9.2.3.1.5");

    private final Snmp snmp;
    private final DefaultUdpTransportMapping transport;
    private final Map<OID, MOScalar<Variable>> scalars = new ConcurrentHashMap<>();

    SnmpTestAgent(NavigableMap<OID, Variable> walk, String community) throws IOException {
        DefaultMOServer server = new DefaultMOServer();
        for (Map.Entry<OID, Variable> entry : walk.entrySet()) {
            OID oid = entry.getKey();
            MOScalar<Variable> scalar = oid.startsWith(CONTROL_COMMAND)
                    ? new OutletCommand(oid, entry.getValue())
                    : new Cell(oid, MOAccessImpl.ACCESS_READ_ONLY, entry.getValue());
            scalars.put(oid, scalar);
            try {
                server.register(scalar, null);
            } catch (DuplicateRegistrationException e) {
                throw new IOException("walk lists " + oid + " twice", e);
            }
        }
        OctetString engineId = new OctetString(MPv3.createLocalEngineID());
        CommandProcessor processor = new CommandProcessor(engineId);
        processor.addMOServer(server);
        processor.setVacm(new AllowAll());
        processor.setCoexistenceProvider(new OneCommunity(new OctetString(community), engineId));
        transport = new DefaultUdpTransportMapping(new UdpAddress("127.0.0.1/0"));
        snmp = new Snmp(transport);
        snmp.addCommandResponder(processor);
        snmp.listen();
    }

    int port() {
        return transport.getListenAddress().getPort();
    }

    /** The value the agent serves now at an OID. */
    Variable value(OID oid) {
        MOScalar<Variable> scalar = scalars.get(oid);
        return scalar == null ? null : scalar.getValue();
    }

    @Override
    public void close() throws IOException {
        snmp.close();
    }

    /**
     * One object instance of the walk. MOScalar takes its OID as {@code object.0} and claims the whole
     * object's subtree; a walk's table cells need one each, so the scope is the instance OID alone.
     */
    private static class Cell extends MOScalar<Variable> {
        Cell(OID oid, org.snmp4j.agent.MOAccess access, Variable value) {
            super(oid, access, value);
        }

        @Override
        public OID getLowerBound() {
            return getOid();
        }
    }

    /** rPDU2OutletSwitchedControlCommand.row: a SET switches the row's status state. */
    private final class OutletCommand extends Cell {
        OutletCommand(OID oid, Variable value) {
            super(oid, MOAccessImpl.ACCESS_READ_WRITE, value);
        }

        @Override
        public int setValue(Variable value) {
            int command = value.toInt();
            int state = command == 2 ? 1 : 2; // off 1, on 2 (TELEMETRY.md §3.1)
            OID row = new OID(getOid().getValue(), CONTROL_COMMAND.size(), getOid().size() - CONTROL_COMMAND.size());
            MOScalar<Variable> status = scalars.get(new OID(SWITCHED_STATE).append(row));
            if (status != null) {
                status.setValue(new Integer32(state));
            }
            return super.setValue(new Integer32(state)); // a GET of the command returns the state
        }
    }

    /**
     * The snmpCommunityTable of the agent: one community, for the default context. Any other community
     * has no entry, so SNMP4J-agent drops the request unanswered (RFC 3584 §5.2.1), as real agents do.
     */
    private record OneCommunity(OctetString community, OctetString engineId) implements CoexistenceInfoProvider {
        @Override
        public CoexistenceInfo[] getCoexistenceInfo(OctetString given) {
            return community.equals(given)
                    ? new CoexistenceInfo[] {new CoexistenceInfo(community, engineId, new OctetString())}
                    : null;
        }

        @Override
        public OctetString getCommunity(OctetString securityName, OctetString contextEngineId, OctetString context) {
            return community;
        }

        @Override
        public boolean passesFilter(org.snmp4j.smi.Address address, CoexistenceInfo info) {
            return true;
        }
    }

    /** Every request may read and write everything: the community gate above is the only check. */
    private static final class AllowAll implements VACM {
        @Override
        public int isAccessAllowed(
                OctetString context,
                OctetString securityName,
                int securityModel,
                int securityLevel,
                int viewType,
                OID oid) {
            return VACM_OK;
        }

        @Override
        public int isAccessAllowed(OctetString viewName, OID oid) {
            return VACM_OK;
        }

        @Override
        public OctetString getViewName(
                OctetString context, OctetString securityName, int securityModel, int securityLevel, int viewType) {
            return new OctetString("all");
        }
    }
}
