package io.headroom.simulator.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.exceptions.ModbusTimeoutException;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.tcp.client.NettyTcpClientTransport;
import io.headroom.simulator.site.SimulatedSite;
import io.headroom.simulator.site.SitePower;
import io.headroom.simulator.site.SiteSpec;
import io.headroom.simulator.time.ManualClock;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SimulatedMeterIT {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final int UNIT = 1;

    private ManualClock clock;
    private SimulatedSite site;
    private SitePower power;
    private SimulatedMeter meter;
    private ModbusTcpClient client;

    @BeforeEach
    void start() throws Exception {
        clock = new ManualClock(T0);
        site = SimulatedSite.start(SiteSpec.of(6, 9), clock);
        power = SitePower.uniform(site, 3, 8, 2, Duration.ofSeconds(30));
        meter = SimulatedMeter.start(
                "feed-1",
                MeterModel.onFeed(power, "feed-1", 77),
                UNIT,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = ModbusTcpClient.create(
                NettyTcpClientTransport.create(cfg -> {
                    cfg.hostname = "127.0.0.1";
                    cfg.port = meter.port();
                }),
                cfg -> cfg.requestTimeout = Duration.ofSeconds(1));
        client.connect();
    }

    @AfterEach
    void stop() throws Exception {
        client.disconnect();
        meter.close();
        site.close();
    }

    @Test
    void totalPower_isTheSumOfTheFedMiners_withinTheMetersAccuracy_overTime() throws Exception {
        for (int second = 0; second < 20; second++) {
            clock.advance(Duration.ofSeconds(1));
            site.tick();
            double truth = site.totalPowerWatts();
            assertThat(truth).isGreaterThan(6 * 2500);
            assertThat(floatAt(Sdm630Registers.TOTAL_WATTS)).isCloseTo(truth, within(truth * MeterModel.ACCURACY));
        }
    }

    @Test
    void aBlockRead_givesConsistentPhasesVoltageFrequencyAndEnergy() throws Exception {
        clock.advance(Duration.ofMinutes(10));
        site.tick();
        byte[] block = client.readInputRegisters(UNIT, new ReadInputRegistersRequest(0, 0x4C))
                .registers();
        double sumOfPhases = 0;
        for (int phase = 0; phase < 3; phase++) {
            double volts = floatIn(block, Sdm630Registers.VOLTS_L1 + 2 * phase);
            double amps = floatIn(block, Sdm630Registers.AMPS_L1 + 2 * phase);
            double watts = floatIn(block, Sdm630Registers.WATTS_L1 + 2 * phase);
            assertThat(volts).isCloseTo(230, within(2.0));
            assertThat(amps * volts * SitePower.POWER_FACTOR).isCloseTo(watts, within(watts * 1e-4));
            sumOfPhases += watts;
        }
        assertThat(floatIn(block, Sdm630Registers.TOTAL_WATTS)).isCloseTo(sumOfPhases, within(sumOfPhases * 1e-5));
        assertThat(floatIn(block, Sdm630Registers.FREQUENCY)).isCloseTo(50, within(0.05));
        double kwh = power.feedEnergyKwh("feed-1");
        assertThat(kwh).isGreaterThan(2.5); // six miners for ten minutes
        assertThat(floatIn(block, Sdm630Registers.IMPORT_KWH)).isCloseTo(kwh, within(kwh * MeterModel.ACCURACY));
    }

    @Test
    void anOutletSwitchedOff_leavesTheMetersTotal() throws Exception {
        site.tick();
        double before = floatAt(Sdm630Registers.TOTAL_WATTS);
        double cut = site.miner(4).snapshot().powerWatts();
        power.switchOutlet("rack-2", 2, false);
        clock.advance(Duration.ofSeconds(1));
        site.tick();
        double after = floatAt(Sdm630Registers.TOTAL_WATTS);
        assertThat(before - after).isCloseTo(cut, within(before * 2 * MeterModel.ACCURACY));
        assertThat(after).isCloseTo(site.totalPowerWatts(), within(after * MeterModel.ACCURACY));
    }

    @Test
    void readsOutsideTheMap_areRefusedWithIllegalDataAddress_andAnotherUnitIsNotAnswered() throws Exception {
        assertThatThrownBy(() -> client.readInputRegisters(UNIT, new ReadInputRegistersRequest(0x0158, 10)))
                .isInstanceOfSatisfying(
                        ModbusResponseException.class,
                        e -> assertThat(e.getExceptionCode()).isEqualTo(2));
        assertThatThrownBy(() -> client.readInputRegisters(7, new ReadInputRegistersRequest(0, 2)))
                .isInstanceOf(ModbusTimeoutException.class);
        assertThat(meter.refused()).isEqualTo(2);
        assertThat(floatAt(Sdm630Registers.FREQUENCY)).isCloseTo(50, within(0.05));
    }

    @Test
    void garbageAndTruncatedFrames_closeOnlyTheirOwnConnection_andAreCounted() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            byte[] garbage = new byte[8 + random.nextInt(300)];
            random.nextBytes(garbage);
            garbage[2] = 0x13; // protocol id not 0
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), meter.port())) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(garbage);
                assertThat(socket.getInputStream().read())
                        .as("closed by the meter")
                        .isEqualTo(-1);
            }
        }
        // A huge declared length, and a half frame left hanging.
        try (Socket huge = new Socket(InetAddress.getLoopbackAddress(), meter.port());
                Socket half = new Socket(InetAddress.getLoopbackAddress(), meter.port())) {
            huge.setSoTimeout(5000);
            huge.getOutputStream().write(new byte[] {0, 1, 0, 0, (byte) 0xFF, (byte) 0xFF, 1, 4});
            assertThat(huge.getInputStream().read()).isEqualTo(-1);
            half.getOutputStream().write(new byte[] {0, 2, 0, 0, 0, 6, 1, 4, 0});
            half.getOutputStream().flush();
            // The well-formed client is served meanwhile.
            assertThat(floatAt(Sdm630Registers.FREQUENCY)).isCloseTo(50, within(0.05));
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> meter.garbageFrames() >= 21);
        assertThat(floatAt(Sdm630Registers.FREQUENCY)).isCloseTo(50, within(0.05));
    }

    @Test
    void anUnknownFunctionCode_isAnsweredIllegalFunction() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), meter.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            // Transaction 5, protocol 0, length 2, unit 1, function 0x41 (user-defined).
            out.write(new byte[] {0, 5, 0, 0, 0, 2, 1, 0x41});
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(9);
            assertThat(reply[7] & 0xFF).isEqualTo(0x80 | 0x41);
            assertThat(reply[8]).isEqualTo((byte) 1);
        }
    }

    private double floatAt(int address) throws Exception {
        return floatIn(
                client.readInputRegisters(UNIT, new ReadInputRegistersRequest(address, 2))
                        .registers(),
                address,
                address);
    }

    private static double floatIn(byte[] registers, int address) {
        return floatIn(registers, address, 0);
    }

    private static double floatIn(byte[] registers, int address, int base) {
        int i = (address - base) * 2;
        int bits = ((registers[i] & 0xFF) << 24)
                | ((registers[i + 1] & 0xFF) << 16)
                | ((registers[i + 2] & 0xFF) << 8)
                | (registers[i + 3] & 0xFF);
        return Float.intBitsToFloat(bits);
    }
}
