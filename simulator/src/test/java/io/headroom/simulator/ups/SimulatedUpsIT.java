package io.headroom.simulator.ups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.simulator.pdu.SnmpTestClient;
import io.headroom.simulator.site.SimulatedSite;
import io.headroom.simulator.site.SitePower;
import io.headroom.simulator.site.SiteSpec;
import io.headroom.simulator.time.ManualClock;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.snmp4j.mp.SnmpConstants;

@Timeout(60)
class SimulatedUpsIT {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final String OUTPUT_SOURCE = "1.3.6.1.2.1.33.1.4.1.0";
    private static final String MINUTES = "1.3.6.1.2.1.33.1.2.3.0";
    private static final String CHARGE = "1.3.6.1.2.1.33.1.2.4.0";
    private static final String ON_BATTERY = "1.3.6.1.2.1.33.1.2.2.0";
    private static final String LOAD_LINE_1 = "1.3.6.1.2.1.33.1.4.4.1.5.1";
    private static final String OUTPUT_POWER_LINE_2 = "1.3.6.1.2.1.33.1.4.4.1.4.2";
    private static final String INPUT_VOLTAGE_LINE_3 = "1.3.6.1.2.1.33.1.3.3.1.3.3";

    private ManualClock clock;
    private SimulatedSite site;
    private SimulatedUps ups;
    private SnmpTestClient snmp;

    @BeforeEach
    void start() throws Exception {
        clock = new ManualClock(T0);
        site = SimulatedSite.start(SiteSpec.of(4, 3), clock);
        SitePower power = SitePower.uniform(site, 4, 8, 1, Duration.ofSeconds(30));
        // 4 × ~3 kW on a 20 kW UPS with 10 kWh of battery: ~60 % load, ~47 minutes on battery.
        ups = SimulatedUps.start(
                SimulatedUps.onFeed(power, "feed-1", 20_000, 10_000),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "public");
        snmp = new SnmpTestClient(ups.port());
        site.tick();
    }

    @AfterEach
    void stop() throws Exception {
        snmp.close();
        ups.close();
        site.close();
    }

    @Test
    void onMains_outputIsNormal_andTheLoadIsTheFeedsDraw() throws Exception {
        double watts = site.totalPowerWatts();
        assertThat(snmp.value("public", OUTPUT_SOURCE).toInt()).isEqualTo(3);
        assertThat(snmp.value("public", LOAD_LINE_1).toInt())
                .isCloseTo((int) Math.round(100 * watts / 20_000), within(1));
        assertThat(snmp.value("public", OUTPUT_POWER_LINE_2).toInt()).isCloseTo((int) Math.round(watts / 3), within(1));
        assertThat(snmp.value("public", INPUT_VOLTAGE_LINE_3).toInt()).isEqualTo(230);
        assertThat(snmp.value("public", CHARGE).toInt()).isEqualTo(100);
        assertThat(snmp.value("public", ON_BATTERY).toInt()).isZero();
    }

    @Test
    void mainsFailure_runsOnBattery_whoseMinutesFallWithSteppedTime_thenMainsReturn() throws Exception {
        int full = snmp.value("public", MINUTES).toInt();
        assertThat(full).isBetween(40, 55);

        ups.model().setMains(false);
        assertThat(snmp.value("public", OUTPUT_SOURCE).toInt()).isEqualTo(5); // battery
        assertThat(snmp.value("public", INPUT_VOLTAGE_LINE_3).toInt()).isZero();
        clock.advance(Duration.ofMinutes(10));
        site.tick();
        assertThat(snmp.value("public", ON_BATTERY).toInt()).isEqualTo(600);
        assertThat(snmp.value("public", MINUTES).toInt()).isCloseTo(full - 10, within(2));
        assertThat(snmp.value("public", CHARGE).toInt()).isBetween(70, 85);

        clock.advance(Duration.ofHours(1));
        site.tick();
        assertThat(snmp.value("public", OUTPUT_SOURCE).toInt())
                .as("depleted: no output")
                .isEqualTo(2);
        assertThat(snmp.value("public", "1.3.6.1.2.1.33.1.2.1.0").toInt())
                .as("batteryDepleted")
                .isEqualTo(4);

        ups.model().setMains(true);
        assertThat(snmp.value("public", OUTPUT_SOURCE).toInt()).isEqualTo(3);
        assertThat(snmp.value("public", ON_BATTERY).toInt()).isZero();
    }

    @Test
    void itIsReadOnly_andDropsGarbage() throws Exception {
        assertThat(snmp.set("public", OUTPUT_SOURCE, 5).getErrorStatus())
                .isEqualTo(SnmpConstants.SNMP_ERROR_AUTHORIZATION_ERROR);
        try (DatagramSocket socket = new DatagramSocket()) {
            byte[] garbage = {0x30, (byte) 0x84, 0x7f, 0x7f, 0x7f, 0x7f, 0x02};
            for (int i = 0; i < 10; i++) {
                socket.send(new DatagramPacket(garbage, garbage.length, InetAddress.getLoopbackAddress(), ups.port()));
            }
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> ups.endpoint().dropped() >= 10);
        assertThat(snmp.value("public", OUTPUT_SOURCE).toInt()).isEqualTo(3);
    }
}
