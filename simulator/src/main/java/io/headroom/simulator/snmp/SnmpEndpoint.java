package io.headroom.simulator.snmp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.Snmp;
import org.snmp4j.TransportMapping;
import org.snmp4j.TransportStateReference;
import org.snmp4j.agent.CommandProcessor;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.DuplicateRegistrationException;
import org.snmp4j.agent.MOAccess;
import org.snmp4j.agent.mo.MOAccessImpl;
import org.snmp4j.agent.mo.MOScalar;
import org.snmp4j.agent.mo.snmp.CoexistenceInfo;
import org.snmp4j.agent.mo.snmp.CoexistenceInfoProvider;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.agent.security.VACM;
import org.snmp4j.event.CounterEvent;
import org.snmp4j.event.CounterListener;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.snmp4j.transport.TransportListener;

/**
 * A real SNMP v1/v2c agent (SNMP4J-agent) on one UDP port, serving a fixed set of {@link SnmpObject}s
 * whose values come from a simulated device at request time. The protocol simulators (rack PDU, UPS)
 * are each one of these over their own part of the site model.
 *
 * <p>Access as on a real management card: the read community may GET, GETNEXT and GETBULK; only the
 * write community may SET (the read community's SETs are answered {@code authorizationError}, RFC 3416). Requests with any
 * other community, and datagrams that are not SNMP at all (garbage, truncated, oversize), are dropped
 * unanswered and counted ({@link #dropped()}); nothing a peer sends can stop the agent.
 */
public final class SnmpEndpoint implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(SnmpEndpoint.class);

    /** Counter events that mean a message was dropped unanswered. */
    private static final Set<OID> DROPS = Set.of(
            SnmpConstants.snmpInASNParseErrs,
            SnmpConstants.snmpInBadVersions,
            SnmpConstants.snmpInBadCommunityNames,
            SnmpConstants.snmpInvalidMsgs,
            SnmpConstants.snmpUnknownSecurityModels,
            SnmpConstants.snmpSilentDrops);

    private final Snmp snmp;
    private final DefaultUdpTransportMapping transport;
    private final InetSocketAddress address;
    private final Map<OID, AtomicLong> counters = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private volatile boolean closed;

    private SnmpEndpoint(Snmp snmp, DefaultUdpTransportMapping transport, InetSocketAddress address) {
        this.snmp = snmp;
        this.transport = transport;
        this.address = address;
    }

    /**
     * Binds {@code bind} (port 0 for a free one) and serves {@code objects}.
     *
     * @param readCommunity  community that may read
     * @param writeCommunity community that may read and SET
     * @throws IOException when the port cannot be bound, or an OID is listed twice
     */
    public static SnmpEndpoint start(
            InetSocketAddress bind, String readCommunity, String writeCommunity, List<SnmpObject> objects)
            throws IOException {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(readCommunity, "readCommunity");
        Objects.requireNonNull(writeCommunity, "writeCommunity");
        DefaultMOServer server = new DefaultMOServer();
        for (SnmpObject object : objects) {
            try {
                server.register(new Cell(object), null);
            } catch (DuplicateRegistrationException e) {
                throw new IOException("object " + object.oid() + " is listed twice", e);
            }
        }
        OctetString engineId = new OctetString(MPv3.createLocalEngineID());
        CommandProcessor processor = new CommandProcessor(engineId);
        processor.addMOServer(server);
        processor.setVacm(new CommunityVacm(new OctetString(writeCommunity)));
        processor.setCoexistenceProvider(
                new Communities(Set.of(new OctetString(readCommunity), new OctetString(writeCommunity)), engineId));
        DefaultUdpTransportMapping transport =
                new DefaultUdpTransportMapping(new UdpAddress(bind.getAddress(), bind.getPort()));
        Snmp snmp = new Snmp(transport);
        InetSocketAddress bound = new InetSocketAddress(
                bind.getAddress(), transport.getListenAddress().getPort());
        SnmpEndpoint endpoint = new SnmpEndpoint(snmp, transport, bound);
        CounterListener counting = endpoint::count;
        processor.addCounterListener(counting);
        if (snmp.getMessageDispatcher() instanceof MessageDispatcherImpl dispatcher) {
            dispatcher.addCounterListener(counting);
        }
        transport.addTransportListener(new TransportListener() {
            @Override
            public <A extends Address> void processMessage(
                    TransportMapping<? super A> mapping, A from, ByteBuffer message, TransportStateReference state) {
                endpoint.received.incrementAndGet();
            }
        });
        snmp.addCommandResponder(processor);
        try {
            snmp.listen();
        } catch (IOException | RuntimeException e) {
            snmp.close();
            throw e;
        }
        logger.debug("SNMP endpoint listening on {} ({} objects)", bound, objects.size());
        return endpoint;
    }

    /** Loopback (or the bound address) and the real port. */
    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    /** Datagrams received, answered or not. */
    public long received() {
        return received.get();
    }

    /** Messages dropped unanswered: not SNMP, a version or community this agent does not take. */
    public long dropped() {
        long sum = 0;
        for (OID drop : DROPS) {
            sum += counter(drop);
        }
        return sum;
    }

    /** One of SNMP4J's counters (SNMPv2-MIB snmpIn…, e.g. {@code SnmpConstants.snmpInBadCommunityNames}). */
    public long counter(OID oid) {
        AtomicLong count = counters.get(oid);
        return count == null ? 0 : count.get();
    }

    private void count(CounterEvent event) {
        counters.computeIfAbsent(event.getOid(), k -> new AtomicLong()).addAndGet(Math.max(1, event.getIncrement()));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            snmp.close();
        } catch (IOException e) {
            logger.debug("closing SNMP endpoint {}: {}", address, e.toString());
        }
    }

    /**
     * One object instance. MOScalar takes its OID as {@code object.0} and claims the object's subtree; a
     * table cell needs one each, so the scope is the instance OID alone. Its value is read at each request.
     */
    private static final class Cell extends MOScalar<Variable> {
        private final SnmpObject object;

        Cell(SnmpObject object) {
            super(object.oid(), access(object), object.read().get());
            this.object = object;
        }

        private static MOAccess access(SnmpObject object) {
            return object.writer().isPresent() ? MOAccessImpl.ACCESS_READ_WRITE : MOAccessImpl.ACCESS_READ_ONLY;
        }

        @Override
        public OID getLowerBound() {
            return getOid();
        }

        @Override
        public Variable getValue() {
            return object.read().get();
        }

        @Override
        public int isValueOK(SubRequest<?> request) {
            Variable value = request.getVariableBinding().getVariable();
            if (!(value instanceof Integer32 integer)) {
                return SnmpConstants.SNMP_ERROR_WRONG_TYPE;
            }
            return object.writer().map(w -> w.check(integer.getValue())).orElse(SnmpConstants.SNMP_ERROR_NOT_WRITEABLE);
        }

        @Override
        public int setValue(Variable value) {
            object.writer().ifPresent(w -> w.apply(value.toInt()));
            return SnmpConstants.SNMP_ERROR_SUCCESS;
        }

        @Override
        public void undo(SubRequest<?> request) {
            // A device does not take back a switched outlet because a later varbind failed.
            request.completed();
        }
    }

    /**
     * The snmpCommunityTable: the read and write communities, for the default context. Any other
     * community has no entry, so SNMP4J-agent drops the request unanswered (RFC 3584 §5.2.1).
     */
    private record Communities(Set<OctetString> accepted, OctetString engineId) implements CoexistenceInfoProvider {
        @Override
        public CoexistenceInfo[] getCoexistenceInfo(OctetString given) {
            return accepted.contains(given)
                    ? new CoexistenceInfo[] {new CoexistenceInfo(given, engineId, new OctetString())}
                    : null;
        }

        @Override
        public OctetString getCommunity(OctetString securityName, OctetString contextEngineId, OctetString context) {
            return securityName;
        }

        @Override
        public boolean passesFilter(Address address, CoexistenceInfo info) {
            return true;
        }
    }

    /** Every accepted community may read everything; only the write community may write. */
    private record CommunityVacm(OctetString writeCommunity) implements VACM {
        @Override
        public int isAccessAllowed(
                OctetString context,
                OctetString securityName,
                int securityModel,
                int securityLevel,
                int viewType,
                OID oid) {
            if (viewType == VACM.VIEW_WRITE && !writeCommunity.equals(securityName)) {
                return VACM_NOT_IN_VIEW;
            }
            return VACM_OK;
        }

        @Override
        public int isAccessAllowed(OctetString viewName, OID oid) {
            return VACM_OK;
        }

        @Override
        public OctetString getViewName(
                OctetString context, OctetString securityName, int securityModel, int securityLevel, int viewType) {
            if (viewType == VACM.VIEW_WRITE && !writeCommunity.equals(securityName)) {
                return null; // no write view: authorizationError
            }
            return new OctetString(viewType == VACM.VIEW_WRITE ? "write" : "read");
        }
    }
}
