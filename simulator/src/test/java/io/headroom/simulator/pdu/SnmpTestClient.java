package io.headroom.simulator.pdu;

import java.io.IOException;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/** A plain SNMP v2c manager for tests: one GET or SET at a time, 1 s timeout, no retries. */
public final class SnmpTestClient implements AutoCloseable {
    private final Snmp snmp;
    private final int port;

    public SnmpTestClient(int port) throws IOException {
        this.port = port;
        this.snmp = new Snmp(new DefaultUdpTransportMapping());
        snmp.listen();
    }

    /** The response PDU, or null when nothing came back within the timeout. */
    public PDU get(String community, String... oids) throws IOException {
        PDU pdu = new PDU();
        pdu.setType(PDU.GET);
        for (String oid : oids) {
            pdu.add(new VariableBinding(new OID(oid)));
        }
        return send(pdu, community);
    }

    public PDU set(String community, String oid, int value) throws IOException {
        PDU pdu = new PDU();
        pdu.setType(PDU.SET);
        pdu.add(new VariableBinding(new OID(oid), new Integer32(value)));
        return send(pdu, community);
    }

    /** The value of one OID, failing the test when there is no answer or an error. */
    public Variable value(String community, String oid) throws IOException {
        PDU response = get(community, oid);
        if (response == null) {
            throw new AssertionError("no answer to GET " + oid);
        }
        if (response.getErrorStatus() != 0) {
            throw new AssertionError("GET " + oid + ": " + response.getErrorStatusText());
        }
        return response.get(0).getVariable();
    }

    private PDU send(PDU pdu, String community) throws IOException {
        CommunityTarget<UdpAddress> target =
                new CommunityTarget<>(new UdpAddress("127.0.0.1/" + port), new OctetString(community));
        target.setVersion(SnmpConstants.version2c);
        target.setTimeout(1000);
        target.setRetries(0);
        ResponseEvent<UdpAddress> event = snmp.send(pdu, target);
        return event.getResponse();
    }

    @Override
    public void close() throws IOException {
        snmp.close();
    }
}
