package io.headroom.agent.driver.snmp;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.Snmp;
import org.snmp4j.agent.CommandProcessor;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.DuplicateRegistrationException;
import org.snmp4j.agent.mo.MOAccessImpl;
import org.snmp4j.agent.mo.MOScalar;
import org.snmp4j.agent.mo.snmp.CoexistenceInfo;
import org.snmp4j.agent.mo.snmp.CoexistenceInfoProvider;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.agent.security.VACM;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Address;
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
 *
 * <p>It also serves SNMPv3 USM users (its own engine id, SNMP4J's USM), can refuse every SET of the
 * control command in one of the ways real cards do ({@link Refusal}), and records the source address of
 * every request it gets, so a test can count the sockets the agent under test used.
 */
final class SnmpTestAgent implements AutoCloseable {

    static final OID CONTROL_COMMAND = new OID("1.3.6.1.4.1.318.1.1.26.9.2.4.1.5");
    static final OID SWITCHED_STATE = new OID("1.3.6.1.4.1.318.1.1.26.9.2.3.1.5");

    private final Snmp snmp;
    private final DefaultUdpTransportMapping transport;
    private final Map<OID, MOScalar<Variable>> scalars = new ConcurrentHashMap<>();
    private final Set<Address> sources = ConcurrentHashMap.newKeySet();
    private final Map<Integer, java.util.concurrent.atomic.AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Refusal refusal;

    /** How the agent answers a SET of the control command. */
    enum Refusal {
        /** Accepts commands 1–7 and switches the outlet; wrongValue for any other number. */
        NONE,
        /** The command column is read-only: notWritable (v2c, v3). */
        NOT_WRITABLE,
        /** Every command value is refused: wrongValue. */
        WRONG_VALUE,
        /** The write view does not contain the column: noAccess. */
        NO_ACCESS,
        /** There is no write view for the requester at all: authorizationError. */
        NO_WRITE_VIEW
    }

    /** A USM user the agent knows; null protocol ids for no auth or no privacy. */
    record User(String name, OID auth, String authPassphrase, OID priv, String privPassphrase) {
        UsmUser usm() {
            return new UsmUser(
                    new OctetString(name),
                    auth,
                    authPassphrase == null ? null : new OctetString(authPassphrase),
                    priv,
                    privPassphrase == null ? null : new OctetString(privPassphrase));
        }
    }

    SnmpTestAgent(NavigableMap<OID, Variable> walk, String community) throws IOException {
        this(walk, community, List.of(), Refusal.NONE);
    }

    SnmpTestAgent(NavigableMap<OID, Variable> walk, String community, List<User> users, Refusal refusal)
            throws IOException {
        this.refusal = refusal;
        DefaultMOServer server = new DefaultMOServer();
        for (Map.Entry<OID, Variable> entry : walk.entrySet()) {
            OID oid = entry.getKey();
            MOScalar<Variable> scalar = oid.startsWith(CONTROL_COMMAND)
                    ? new OutletCommand(
                            oid,
                            refusal == Refusal.NOT_WRITABLE
                                    ? MOAccessImpl.ACCESS_READ_ONLY
                                    : MOAccessImpl.ACCESS_READ_WRITE,
                            entry.getValue())
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
        processor.setVacm(new AllowAll(refusal));
        processor.setCoexistenceProvider(new OneCommunity(new OctetString(community), engineId));
        transport = new DefaultUdpTransportMapping(new UdpAddress("127.0.0.1/0"));
        USM usm = new USM(new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.maxCompatibility), engineId, 0);
        users.forEach(user -> usm.addUser(user.usm()));
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(new MPv3(usm));
        snmp = new Snmp(dispatcher, transport);
        snmp.addCommandResponder(new org.snmp4j.CommandResponder() {
            @Override
            public <A extends Address> void processPdu(org.snmp4j.CommandResponderEvent<A> event) {
                sources.add(event.getPeerAddress());
                if (event.getPDU() != null) {
                    requests.computeIfAbsent(
                                    event.getPDU().getType(), t -> new java.util.concurrent.atomic.AtomicInteger())
                            .incrementAndGet();
                }
            }
        });
        snmp.addCommandResponder(processor);
        snmp.listen();
    }

    /** Requests of a PDU type ({@code PDU.GETBULK} …) received so far. */
    int requests(int pduType) {
        java.util.concurrent.atomic.AtomicInteger count = requests.get(pduType);
        return count == null ? 0 : count.get();
    }

    /** The source addresses (IP and UDP port) requests came from so far. */
    Set<Address> sources() {
        return Set.copyOf(sources);
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
        OutletCommand(OID oid, org.snmp4j.agent.MOAccess access, Variable value) {
            super(oid, access, value);
        }

        @Override
        public int isValueOK(SubRequest<?> request) {
            int command = request.getVariableBinding().getVariable().toInt();
            if (refusal == Refusal.WRONG_VALUE || command < 1 || command > 7) {
                return SnmpConstants.SNMP_ERROR_WRONG_VALUE;
            }
            return super.isValueOK(request);
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

    /** Every request may read and write everything but what the refusal withholds. */
    private record AllowAll(Refusal refusal) implements VACM {
        @Override
        public int isAccessAllowed(
                OctetString context,
                OctetString securityName,
                int securityModel,
                int securityLevel,
                int viewType,
                OID oid) {
            if (viewType == VIEW_WRITE && refusal == Refusal.NO_ACCESS) {
                return VACM_NOT_IN_VIEW;
            }
            if (viewType == VIEW_WRITE && refusal == Refusal.NO_WRITE_VIEW) {
                return VACM_NO_SUCH_VIEW;
            }
            return VACM_OK;
        }

        @Override
        public int isAccessAllowed(OctetString viewName, OID oid) {
            return viewName.toString().equals("write") && refusal == Refusal.NO_ACCESS ? VACM_NOT_IN_VIEW : VACM_OK;
        }

        @Override
        public OctetString getViewName(
                OctetString context, OctetString securityName, int securityModel, int securityLevel, int viewType) {
            if (viewType == VIEW_WRITE) {
                return refusal == Refusal.NO_WRITE_VIEW ? null : new OctetString("write");
            }
            return new OctetString("all");
        }
    }
}
