package io.headroom.simulator.pdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.headroom.simulator.site.SimulatedMiner;
import io.headroom.simulator.site.SimulatedSite;
import io.headroom.simulator.site.SitePower;
import io.headroom.simulator.site.SiteSpec;
import io.headroom.simulator.time.ManualClock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.snmp4j.PDU;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.OID;

@Timeout(60)
class SimulatedPduIT {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration BOOT = Duration.ofSeconds(30);
    private static final String CONTROL_2 = Rpdu2.SWITCHED_CONTROL_COMMAND + ".2";
    private static final String STATE_2 = Rpdu2.SWITCHED_STATUS_STATE + ".2";
    private static final String POWER_2 = Rpdu2.METERED_STATUS_POWER + ".2";

    private ManualClock clock;
    private SimulatedSite site;
    private SitePower power;
    private SimulatedPdu pdu;
    private SnmpTestClient snmp;

    @BeforeEach
    void start() throws IOException {
        clock = new ManualClock(T0);
        site = SimulatedSite.start(SiteSpec.of(3, 5), clock);
        power = SitePower.uniform(site, 3, 8, 1, BOOT);
        pdu = SimulatedPdu.start(power, "rack-1", PduSpec.loopback(32));
        snmp = new SnmpTestClient(pdu.port());
    }

    @AfterEach
    void stop() throws IOException {
        snmp.close();
        pdu.close();
        site.close();
    }

    @Test
    void identifiesAsAnApcRpdu2_andMetersItsOutletsFromTheSiteModel() throws IOException {
        assertThat(snmp.value("public", Rpdu2.SYS_OBJECT_ID)).isEqualTo(new OID("1.3.6.1.4.1.318.1.3.4.6"));
        assertThat(snmp.value("public", Rpdu2.SYS_DESCR).toString()).containsPattern("AN1:\\S*rpdu2g");

        site.tick();
        double miner2 = site.miner(1).snapshot().powerWatts();
        assertThat(miner2).isGreaterThan(2000);
        assertThat(snmp.value("public", POWER_2).toInt()).isCloseTo((int) Math.round(miner2), within(1));
        // Hundredths of kW: the three miners together.
        assertThat(snmp.value("public", Rpdu2.DEVICE_POWER + ".1").toInt())
                .isCloseTo((int) Math.round(site.totalPowerWatts() / 10), within(1));
        // Outlets 4..8 feed nothing.
        assertThat(snmp.value("public", Rpdu2.METERED_STATUS_POWER + ".8").toInt())
                .isZero();
        assertThat(snmp.value("public", Rpdu2.SWITCHED_STATUS_NAME + ".1").toString())
                .isEqualTo(site.miner(0).identity().hostname());
        assertThat(snmp.value("public", Rpdu2.PHASE_VOLTAGE + ".1").toInt()).isEqualTo(230);
    }

    @Test
    void outletOff_cutsTheMiner_andOnBringsItBackAfterTheBootDelay() throws IOException {
        SimulatedMiner miner = site.miner(1);
        assertThat(answers(miner)).isTrue();

        PDU off = snmp.set("private", CONTROL_2, 2); // immediateOff
        assertThat(off).isNotNull();
        assertThat(off.getErrorStatus()).isZero();

        assertThat(snmp.value("public", STATE_2).toInt()).isEqualTo(1); // off
        assertThat(answers(miner)).as("miner API after its outlet went off").isFalse();
        clock.advance(Duration.ofSeconds(5));
        site.tick();
        assertThat(miner.snapshot().powerWatts()).isZero();
        assertThat(miner.snapshot().hashrateThs()).isZero();
        assertThat(snmp.value("public", POWER_2).toInt()).isZero();
        assertThat(site.miner(0).snapshot().powerWatts())
                .as("the neighbour is untouched")
                .isGreaterThan(2000);

        assertThat(snmp.set("private", CONTROL_2, 1).getErrorStatus()).isZero(); // immediateOn
        assertThat(snmp.value("public", STATE_2).toInt()).isEqualTo(2);
        clock.advance(BOOT.minusSeconds(1));
        site.tick();
        assertThat(answers(miner)).as("still booting").isFalse();
        assertThat(miner.snapshot().hashrateThs()).isZero();

        clock.advance(Duration.ofSeconds(1));
        site.tick();
        assertThat(answers(miner)).as("booted").isTrue();
        clock.advance(Duration.ofMinutes(5));
        site.tick();
        assertThat(miner.snapshot().hashrateThs()).isGreaterThan(100);
        assertThat(snmp.value("public", POWER_2).toInt()).isGreaterThan(2000);
    }

    @Test
    void setsTheCardRefuses_changeNothing() throws IOException {
        PDU readOnly = snmp.set("public", CONTROL_2, 2);
        assertThat(readOnly.getErrorStatus()).isEqualTo(SnmpConstants.SNMP_ERROR_AUTHORIZATION_ERROR);
        PDU delayed = snmp.set("private", CONTROL_2, 6); // delayedOff: not simulated
        assertThat(delayed.getErrorStatus()).isEqualTo(SnmpConstants.SNMP_ERROR_WRONG_VALUE);
        PDU noSuchOutlet = snmp.set("private", Rpdu2.SWITCHED_CONTROL_COMMAND + ".9", 2);
        assertThat(noSuchOutlet.getErrorStatus()).isNotZero();
        assertThat(power.outletOn("rack-1", 2)).isTrue();
        assertThat(answers(site.miner(1))).isTrue();
    }

    @Test
    void wrongCommunity_isDroppedUnanswered_andCounted() throws IOException {
        long before = pdu.endpoint().dropped();
        assertThat(snmp.get("secret", Rpdu2.SYS_DESCR)).isNull();
        assertThat(snmp.set("secret", CONTROL_2, 2)).isNull();
        assertThat(pdu.endpoint().dropped()).isEqualTo(before + 2);
        assertThat(power.outletOn("rack-1", 2)).isTrue();
    }

    @Test
    void garbageTruncatedAndOversizeDatagrams_areDropped_andTheAgentKeepsAnswering() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        byte[] valid = validGetRequest();
        try (DatagramSocket socket = new DatagramSocket()) {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            int sent = 0;
            for (int i = 0; i < 50; i++) {
                byte[] garbage = new byte[1 + random.nextInt(200)];
                random.nextBytes(garbage);
                garbage[0] = 0x30; // looks like a BER SEQUENCE, to reach the decoder's depths
                socket.send(new DatagramPacket(garbage, garbage.length, loopback, pdu.port()));
                sent++;
            }
            for (int cut = 1; cut < valid.length; cut += 5) {
                socket.send(new DatagramPacket(valid, cut, loopback, pdu.port()));
                sent++;
            }
            byte[] oversize = new byte[60_000];
            random.nextBytes(oversize);
            socket.send(new DatagramPacket(oversize, oversize.length, loopback, pdu.port()));
            sent++;
            int expected = sent;
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> pdu.endpoint().received() >= expected);
        }
        assertThat(snmp.value("public", Rpdu2.SYS_OBJECT_ID)).isEqualTo(new OID(Rpdu2.APC_RACK_PDU_OBJECT_ID));
        assertThat(pdu.endpoint().dropped()).isGreaterThanOrEqualTo(50);
    }

    /** A v2c GET of sysDescr with community public, BER-encoded by hand (RFC 3416), to cut short. */
    private static byte[] validGetRequest() {
        int[] ber = {
            0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xa0, 0x1c, 0x02, 0x04, 0, 0, 0, 1,
            0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01,
            0x01, 0x00, 0x05, 0x00
        };
        byte[] bytes = new byte[ber.length];
        for (int i = 0; i < ber.length; i++) {
            bytes[i] = (byte) ber[i];
        }
        return bytes;
    }

    @Test
    void theHandEncodedRequest_isAnswered() throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            byte[] valid = validGetRequest();
            socket.send(new DatagramPacket(valid, valid.length, InetAddress.getLoopbackAddress(), pdu.port()));
            DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
            socket.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .contains("rpdu2g");
        }
    }

    private static boolean answers(SimulatedMiner miner) throws IOException {
        try (Socket socket = new Socket(miner.address().getAddress(), miner.port())) {
            return socket.isConnected();
        } catch (ConnectException e) {
            return false;
        }
    }

    @Test
    void unknownRack_isRefusedByName() {
        assertThatThrownBy(() -> SimulatedPdu.start(power, "rack-9", PduSpec.loopback(32)))
                .hasMessageContaining("no rack rack-9");
    }
}
