package io.headroom.agent.driver.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.server.ProcessImage;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverRegistry;
import io.headroom.agent.driver.GoldenCasesTest;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.transport.modbus.ModbusTable;
import io.headroom.config.ConfigNode;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.wire.DeviceHealth;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code profile: auto} with the modbus driver: the agent reads the candidates' probe registers and takes
 * the first profile whose rule holds; a refused address (exception 02) only fails the rules that read it.
 * Against digitalpetri's server (an independent implementation) and our strict image slave, which
 * answers exception 02 outside its map as real meters do.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModbusAutoProfileIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final DriverContext context = TestDevices.context(Clock.systemUTC());
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        context.close();
    }

    private int digitalpetri(int unit, ProcessImage image) throws Exception {
        int port = PeerImages.freePort();
        NettyTcpServerTransport transport = NettyTcpServerTransport.create(cfg -> {
            cfg.bindAddress = "127.0.0.1";
            cfg.port = port;
        });
        ModbusTcpServer server = ModbusTcpServer.create(transport, PeerImages.services(unit, image));
        server.start();
        closeables.add(server::stop);
        return port;
    }

    private int strictSlave(RegisterImage image) throws Exception {
        ImageTcpServer server = new ImageTcpServer(image, ImageTcpServer.Mode.ANSWER);
        closeables.add(server);
        return server.port();
    }

    private static RegisterImage caseImage(String caseFolder) throws Exception {
        return RegisterImage.read(
                GoldenCasesTest.casesRoot().resolve(caseFolder).resolve("registers.json"));
    }

    private static DeviceConfig device(int port, int unit) {
        return new DeviceConfig(
                "meter-1",
                DeviceConfig.AUTO,
                ModbusDriverFactory.NAME,
                Duration.ofSeconds(5),
                TIMEOUT,
                Optional.empty(),
                new ModbusSettings(Optional.of("127.0.0.1:" + port), Optional.empty(), "", unit, 0),
                new ConfigNode.Origin("agent.yaml", 1, "devices[0]"));
    }

    private Driver auto(DeviceConfig device) {
        Driver driver = TestDevices.DRIVERS.create(device, TestDevices.PROFILES, context);
        closeables.add(0, driver);
        return driver;
    }

    private static Optional<String> profileOf(DeviceConfig device, Driver driver) {
        return DriverRegistry.currentProfile(device, driver, TestDevices.PROFILES)
                .map(FirmwareProfile::id);
    }

    @Test
    void sdm630_onDigitalpetri_isIdentifiedAsEastron_andPolledAsIt() throws Exception {
        DeviceConfig device = device(digitalpetri(1, PeerImages.of("eastron/sdm630/nominal")), 1);
        Driver driver = auto(device);
        assertThat(profileOf(device, driver)).isEmpty();

        PollResult result = driver.poll();

        assertThat(profileOf(device, driver)).hasValue("eastron/sdm630");
        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.readings())
                .anySatisfy(r -> assertThat(r.metric() + "=" + r.value()).isEqualTo("power=3350.0"));
    }

    @Test
    void iem3155_refusingEastronsProbeWithException02_isIdentifiedAsSchneider() throws Exception {
        RegisterImage image = caseImage("schneider/iem3155/nominal");
        assertThat(image.answer(new byte[] {0x04, 0x00, 0x00, 0x00, 0x02}))
                .as("the slave refuses eastron's probe register")
                .containsExactly(0x84, 0x02);
        DeviceConfig device = device(strictSlave(image), image.unit());
        Driver driver = auto(device);

        PollResult result = driver.poll();

        assertThat(profileOf(device, driver)).hasValue("schneider/iem3000");
        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
    }

    @Test
    void abbB23_isIdentifiedAsAbb() throws Exception {
        RegisterImage image = caseImage("abb/b23/nominal");
        DeviceConfig device = device(strictSlave(image), image.unit());
        Driver driver = auto(device);

        driver.poll();

        assertThat(profileOf(device, driver)).hasValue("abb/b2x");
    }

    @Test
    void implausibleProbeValue_isNotGuessed_butOfflineUnidentified_andAskedAgain() throws Exception {
        // Input register 0 holds 5.0 (float32 0x40A00000): far from a mains voltage, so not an SDM630;
        // every other probe address is refused.
        RegisterImage image = new RegisterImage(1).putWords(ModbusTable.INPUT, 0, 0x40A0, 0x0000);
        DeviceConfig device = device(strictSlave(image), 1);
        Driver driver = auto(device);

        PollResult first = driver.poll();
        PollResult second = driver.poll();

        assertThat(first.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(first.reason()).isEqualTo("unidentified");
        assertThat(first.message()).contains("eastron/sdm630").contains("schneider/iem3000");
        assertThat(second.reason()).isEqualTo("unidentified");
        assertThat(profileOf(device, driver)).isEmpty();
    }

    @Test
    void nothingListening_isOfflineWithTheTransportReason() throws Exception {
        int port = PeerImages.freePort();
        DeviceConfig device = device(port, 1);

        PollResult result = auto(device).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("connection-refused");
        assertThat(result.message()).contains("127.0.0.1:" + port).contains("who it is");
    }
}
