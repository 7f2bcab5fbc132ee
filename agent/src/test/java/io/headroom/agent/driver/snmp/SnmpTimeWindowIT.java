package io.headroom.agent.driver.snmp;

import static io.headroom.agent.driver.snmp.SnmpTestDevices.v3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.agent.driver.DriverContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.MessageException;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * A v3 agent whose engine clock never lets a request into its time window: it answers every
 * authenticated request with an authenticated usmStatsNotInTimeWindows report. SNMP4J re-sends when
 * such a report moves its idea of the engine time; when the report persists the driver names it.
 */
@Timeout(30)
class SnmpTimeWindowIT {

    @Test
    void persistentNotInTimeWindowReport_isItsOwnReason() throws Exception {
        DriverContext context = SnmpTestDevices.context(Map.of("auth", "auth-pass-1234"));
        OctetString engineId = new OctetString(MPv3.createLocalEngineID());
        USM usm = new USM(new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.maxCompatibility), engineId, 0);
        usm.addUser(new UsmUser(
                new OctetString("sha256"), AuthHMAC192SHA256.ID, new OctetString("auth-pass-1234"), null, null));
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv3(usm));
        DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(new UdpAddress("127.0.0.1/0"));
        Snmp agent = new Snmp(dispatcher, transport);
        AtomicInteger reports = new AtomicInteger();
        agent.addCommandResponder(new CommandResponder() {
            @Override
            public <A extends Address> void processPdu(CommandResponderEvent<A> event) {
                if (event.getSecurityLevel() < SecurityLevel.AUTH_NOPRIV) {
                    return;
                }
                ScopedPDU report = new ScopedPDU();
                report.setType(PDU.REPORT);
                report.setRequestID(event.getPDU().getRequestID());
                report.setContextEngineID(engineId);
                report.add(new VariableBinding(SnmpConstants.usmStatsNotInTimeWindows, new Counter32(1)));
                try {
                    event.getMessageDispatcher()
                            .returnResponsePdu(
                                    event.getMessageProcessingModel(),
                                    event.getSecurityModel(),
                                    event.getSecurityName(),
                                    event.getSecurityLevel(),
                                    report,
                                    event.getMaxSizeResponsePDU(),
                                    event.getStateReference(),
                                    new StatusInformation());
                    reports.incrementAndGet();
                } catch (MessageException e) {
                    throw new IllegalStateException(e);
                }
                event.setProcessed(true);
            }
        });
        agent.listen();
        try {
            SnmpClient client = new SnmpClient(
                    () -> context.shared(
                            SnmpSession.SHARED_KEY, SnmpSession.class, () -> SnmpSession.open(context.meters())),
                    new SnmpSettings(
                            "127.0.0.1",
                            transport.getListenAddress().getPort(),
                            SnmpVersion.V3,
                            Optional.empty(),
                            Optional.of(v3("sha256", SnmpAuthProtocol.SHA256, "auth", SnmpPrivProtocol.NONE, null)),
                            1),
                    Duration.ofSeconds(3),
                    context.secrets());
            client.prepare();

            assertThatThrownBy(() -> client.get(List.of(new OID("1.3.6.1.2.1.1.1.0"))))
                    .isInstanceOfSatisfying(
                            SnmpFault.class, f -> assertThat(f.reason()).isEqualTo("usm-not-in-time-window"))
                    .hasMessageContaining("usmStatsNotInTimeWindows");
            assertThat(reports.get()).as("the agent sent the report").isPositive();
        } finally {
            agent.close();
            context.close();
        }
    }
}
