package io.headroom.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.Snmp;
import org.snmp4j.agent.CommandProcessor;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.DuplicateRegistrationException;
import org.snmp4j.agent.MOAccess;
import org.snmp4j.agent.mo.MOAccessImpl;
import org.snmp4j.agent.mo.MOScalar;
import org.snmp4j.agent.mo.snmp.CoexistenceInfo;
import org.snmp4j.agent.mo.snmp.CoexistenceInfoProvider;
import org.snmp4j.agent.security.VACM;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * The simulated rack PDUs of {@link SnmpPollBench}: one SNMP4J-agent serving an APC rPDU2 walk
 * ({@code .snmprec}) on N loopback UDP ports, one port per simulated PDU, community {@code public}. It
 * runs in a JVM of its own so that the benchmark's CPU and RSS figures are the agent's alone.
 *
 * <p>Prints {@code PORTS p1,p2,…} once every port listens, then serves until its stdin closes.
 */
public final class SnmpPduFarm {

    private SnmpPduFarm() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: SnmpPduFarm <pdus> <walk.snmprec>");
            System.exit(2);
        }
        int count = Integer.parseInt(args[0]);
        DefaultMOServer server = new DefaultMOServer();
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\|", 3);
            OID oid = new OID(parts[0]);
            try {
                server.register(new Cell(oid, MOAccessImpl.ACCESS_READ_WRITE, value(parts[1], parts[2])), null);
            } catch (DuplicateRegistrationException e) {
                throw new IOException("walk lists " + oid + " twice", e);
            }
        }
        OctetString engineId = new OctetString(MPv3.createLocalEngineID());
        CommandProcessor processor = new CommandProcessor(engineId);
        processor.addMOServer(server);
        processor.setVacm(new AllowAll());
        processor.setCoexistenceProvider(new Public(engineId));
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        Snmp snmp = new Snmp(dispatcher);
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(new UdpAddress("127.0.0.1/0"));
            snmp.addTransportMapping(transport);
            ports.add(String.valueOf(transport.getListenAddress().getPort()));
        }
        snmp.addCommandResponder(processor);
        snmp.listen();
        System.out.println("PORTS " + String.join(",", ports));
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the benchmark closes our stdin (or dies)
        }
        snmp.close();
    }

    private static Variable value(String type, String text) {
        return switch (type) {
            case "2" -> new Integer32(Integer.parseInt(text));
            case "4" -> new OctetString(text);
            case "4x" -> OctetString.fromHexStringPairs(text);
            case "6" -> new OID(text);
            case "65" -> new Counter32(Long.parseLong(text));
            case "66" -> new Gauge32(Long.parseLong(text));
            case "67" -> new TimeTicks(Long.parseLong(text));
            case "70" -> new Counter64(Long.parseUnsignedLong(text));
            default -> throw new IllegalArgumentException("unsupported snmprec type " + type);
        };
    }

    /** One object instance; MOScalar would otherwise claim the object's whole subtree. */
    private static final class Cell extends MOScalar<Variable> {
        Cell(OID oid, MOAccess access, Variable value) {
            super(oid, access, value);
        }

        @Override
        public OID getLowerBound() {
            return getOid();
        }
    }

    private record Public(OctetString engineId) implements CoexistenceInfoProvider {
        private static final OctetString COMMUNITY = new OctetString("public");

        @Override
        public CoexistenceInfo[] getCoexistenceInfo(OctetString given) {
            return COMMUNITY.equals(given)
                    ? new CoexistenceInfo[] {new CoexistenceInfo(COMMUNITY, engineId, new OctetString())}
                    : null;
        }

        @Override
        public OctetString getCommunity(OctetString securityName, OctetString contextEngineId, OctetString context) {
            return COMMUNITY;
        }

        @Override
        public boolean passesFilter(Address address, CoexistenceInfo info) {
            return true;
        }
    }

    private static final class AllowAll implements VACM {
        @Override
        public int isAccessAllowed(
                OctetString context, OctetString securityName, int model, int level, int viewType, OID oid) {
            return VACM_OK;
        }

        @Override
        public int isAccessAllowed(OctetString viewName, OID oid) {
            return VACM_OK;
        }

        @Override
        public OctetString getViewName(
                OctetString context, OctetString securityName, int model, int level, int viewType) {
            return new OctetString("all");
        }
    }
}
