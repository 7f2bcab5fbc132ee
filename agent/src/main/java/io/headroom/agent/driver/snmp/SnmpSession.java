package io.headroom.agent.driver.snmp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.TransportMapping;
import org.snmp4j.TransportStateReference;
import org.snmp4j.event.CounterEvent;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * The agent's one SNMP session: one UDP socket and one SNMP4J {@link Snmp} for every SNMP device,
 * obtained through {@code DriverContext.shared("snmp", …)} and closed when the agent stops
 * (openHAB's SnmpService does the same). It has its own USM and security protocols, so nothing here
 * touches SNMP4J's process-wide singletons.
 *
 * <p>Datagrams that do not decode as SNMP (parse errors, unknown versions, invalid messages) are
 * dropped by SNMP4J; this session counts them, in total and per sender, so that a driver whose request
 * timed out can tell "silent" from "answered with garbage".
 *
 * <p>It also hands every USM REPORT PDU that SNMP4J would drop to the clients waiting on its sender
 * ({@link #watchReports}): an agent that cannot authenticate a request (wrong digest, decryption error)
 * answers with an unauthenticated report, which SNMP4J's report handler ignores for an authenticated
 * request (RFC 3412 §7.2.11.b) — the request would end as a bare timeout. Only the reason is taken from
 * such a report, never data; see decision D16.
 */
public final class SnmpSession implements Closeable {

    /** The key of the shared session in the driver context. */
    public static final String SHARED_KEY = "snmp";

    private final Snmp snmp;
    private final USM usm;
    private final SecurityProtocols protocols;
    private final Map<Address, AtomicLong> garbageByPeer = new ConcurrentHashMap<>();
    private final Counter garbage;
    private final Counter unexpected;
    private final Map<Address, Set<Consumer<SnmpUsmReport>>> reportWatchers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private static final AtomicInteger OPENED = new AtomicInteger();

    private SnmpSession(MeterRegistry meters) throws IOException {
        garbage = Counter.builder("headroom.snmp.datagrams.undecodable")
                .description("UDP datagrams received by the SNMP session that were not valid SNMP messages")
                .register(meters);
        unexpected = Counter.builder("headroom.snmp.responses.unexpected")
                .description("SNMP responses that did not answer the request (wrong OIDs, wrong count, wrong type)")
                .register(meters);
        protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.maxCompatibility);
        usm = new USM(protocols, new OctetString(MPv3.createLocalEngineID()), 0);
        CountingDispatcher dispatcher = new CountingDispatcher();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(new MPv3(usm));
        dispatcher.addCounterListener(this::counted);
        DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(new UdpAddress("0.0.0.0/0"));
        snmp = new Snmp(dispatcher, transport);
        snmp.listen();
        OPENED.incrementAndGet();
    }

    /**
     * Opens a session on a free UDP port of every local address.
     *
     * @throws UncheckedIOException when no socket can be opened (the agent cannot poll any SNMP device)
     */
    public static SnmpSession open(MeterRegistry meters) {
        try {
            return new SnmpSession(meters);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the SNMP session's UDP socket", e);
        }
    }

    Snmp snmp() {
        return snmp;
    }

    USM usm() {
        return usm;
    }

    /** The session's own USM protocols (never SNMP4J's process-wide set). */
    SecurityProtocols protocols() {
        return protocols;
    }

    boolean isClosed() {
        return closed;
    }

    /** Sessions opened in this JVM so far: the proof, for tests, that devices share one. */
    static int opened() {
        return OPENED.get();
    }

    /** UDP transports (sockets) this session listens on: one. */
    int transports() {
        return snmp.getMessageDispatcher().getTransportMappings().size();
    }

    /**
     * Calls {@code watcher} with each USM report that arrives from {@code peer} until the returned handle
     * is closed. Reports SNMP4J handles by re-sending (unknown engine id, not in time window) are not
     * passed on: they are part of discovery.
     */
    AutoCloseable watchReports(Address peer, Consumer<SnmpUsmReport> watcher) {
        reportWatchers.computeIfAbsent(peer, a -> ConcurrentHashMap.newKeySet()).add(watcher);
        return () -> reportWatchers.computeIfPresent(peer, (a, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
    }

    private void reported(CommandResponderEvent<?> event) {
        PDU pdu = event.getPDU();
        if (pdu == null || pdu.getType() != PDU.REPORT || pdu.size() == 0) {
            return;
        }
        Set<Consumer<SnmpUsmReport>> watchers = reportWatchers.get(event.getPeerAddress());
        if (watchers == null) {
            return;
        }
        SnmpUsmReport.of(pdu.get(0).getOid())
                .filter(report -> !report.resentBySnmp4j())
                .ifPresent(report -> watchers.forEach(w -> w.accept(report)));
    }

    /** Undecodable datagrams received from a peer so far. */
    long garbageFrom(Address peer) {
        AtomicLong count = garbageByPeer.get(peer);
        return count == null ? 0 : count.get();
    }

    /** Counts a response that a client found not to answer its request. */
    void countUnexpected() {
        unexpected.increment();
    }

    private static final ThreadLocal<Address> SENDER = new ThreadLocal<>();

    private void counted(CounterEvent event) {
        OID id = event.getOid();
        if (id.equals(SnmpConstants.snmpInASNParseErrs)
                || id.equals(SnmpConstants.snmpInBadVersions)
                || id.equals(SnmpConstants.snmpInvalidMsgs)) {
            garbage.increment();
            Address sender = SENDER.get();
            if (sender != null) {
                if (garbageByPeer.size() > 4096) {
                    garbageByPeer.clear(); // bounded against spoofed senders; a driver then reports a timeout
                }
                garbageByPeer.computeIfAbsent(sender, a -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    /**
     * Remembers who sent the datagram being decoded, for the counter events it fires on this thread, and
     * shows each decoded PDU to {@link #reported} before SNMP4J's own handling.
     */
    private final class CountingDispatcher extends MessageDispatcherImpl {
        @Override
        protected void fireProcessPdu(CommandResponderEvent<?> event) {
            reported(event);
            super.fireProcessPdu(event);
        }

        @Override
        public <A extends Address> void processMessage(
                TransportMapping<? super A> sourceTransport,
                A incomingAddress,
                ByteBuffer wholeMessage,
                TransportStateReference tmStateReference) {
            SENDER.set(incomingAddress);
            try {
                super.processMessage(sourceTransport, incomingAddress, wholeMessage, tmStateReference);
            } finally {
                SENDER.remove();
            }
        }
    }

    /** Closes the socket; requests in flight end as timeouts or as closed. Idempotent. */
    @Override
    public void close() throws IOException {
        closed = true;
        snmp.close();
    }
}
