package io.headroom.simulator.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.digitalpetri.modbus.client.ModbusRtuClient;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.serial.client.SerialPortClientTransport;
import io.headroom.simulator.site.SimulatedSite;
import io.headroom.simulator.site.SitePower;
import io.headroom.simulator.site.SiteSpec;
import io.headroom.simulator.time.ManualClock;
import io.headroom.testkit.TestPeers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The SDM630 as an RTU slave on one end of a socat pty pair, read by digitalpetri's RTU client on the other. */
@Timeout(60)
class SimulatedRtuMeterIT {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path dir;

    private Process socat;
    private SimulatedSite site;
    private SimulatedRtuMeter meter;
    private ModbusRtuClient client;

    @BeforeEach
    void start() throws Exception {
        Path binary = TestPeers.require("socat", "socat", Path.of("/usr/bin/socat"));
        Path bus = dir.resolve("bus");
        Path device = dir.resolve("device");
        socat = new ProcessBuilder(
                        binary.toString(), "-d", "-d", "pty,raw,echo=0,link=" + bus, "pty,raw,echo=0,link=" + device)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        awaitRelaying(socat);
        ManualClock clock = new ManualClock(T0);
        site = SimulatedSite.start(SiteSpec.of(3, 4), clock);
        SitePower power = SitePower.uniform(site, 3, 8, 1, Duration.ofSeconds(30));
        site.tick();
        meter = SimulatedRtuMeter.start("rack-1", MeterModel.onRack(power, "rack-1", 5), 7, device, 19200);
        client = ModbusRtuClient.create(
                new SerialPortClientTransport(com.digitalpetri.modbus.serial.SerialPortTransportConfig.create(cfg -> {
                    cfg.serialPort = bus.toString();
                    cfg.baudRate = 19200;
                })),
                cfg -> cfg.requestTimeout = Duration.ofSeconds(2));
        client.connect();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.disconnect();
        }
        if (meter != null) {
            meter.close();
        }
        if (site != null) {
            site.close();
        }
        if (socat != null) {
            socat.destroy();
            socat.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void totalPower_overRtu_isTheRacksDraw_withinTheMetersAccuracy() throws Exception {
        byte[] registers = client.readInputRegisters(7, new ReadInputRegistersRequest(Sdm630Registers.TOTAL_WATTS, 2))
                .registers();
        double watts = Sdm630Registers.floatAt((short) (((registers[0] & 0xFF) << 8) | (registers[1] & 0xFF)), (short)
                (((registers[2] & 0xFF) << 8) | (registers[3] & 0xFF)));
        double truth = site.totalPowerWatts();
        assertThat(watts).isCloseTo(truth, within(truth * MeterModel.ACCURACY));
        assertThat(meter.served()).isEqualTo(1);
    }

    private static void awaitRelaying(Process process) throws Exception {
        CountDownLatch relaying = new CountDownLatch(1);
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader err = new BufferedReader(
                            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = err.readLine()) != null; ) {
                            log.append(line).append('\n');
                            if (line.contains("starting data transfer loop")) {
                                relaying.countDown();
                            }
                        }
                    } catch (IOException e) {
                        log.append(e);
                    } finally {
                        relaying.countDown();
                    }
                },
                "socat-log");
        reader.setDaemon(true);
        reader.start();
        if (!relaying.await(20, TimeUnit.SECONDS) || !process.isAlive()) {
            throw new IOException("socat did not start relaying: " + log);
        }
    }
}
