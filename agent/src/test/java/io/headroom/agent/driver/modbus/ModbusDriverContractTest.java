package io.headroom.agent.driver.modbus;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverContractTest;
import io.headroom.agent.driver.GoldenCasesTest;
import io.headroom.agent.transport.modbus.ModbusTable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/** The driver contract for the modbus driver over Modbus TCP against loopback slaves. */
class ModbusDriverContractTest extends DriverContractTest {

    private static final Duration TIMEOUT = Duration.ofMillis(800);

    private final DriverContext context = TestDevices.context(Clock.systemUTC());
    private final List<ImageTcpServer> servers = new ArrayList<>();
    private ImageTcpServer hanging;

    @AfterEach
    void stopServers() throws IOException {
        context.close();
        for (ImageTcpServer server : servers) {
            server.close();
        }
    }

    private static RegisterImage sdm630() throws IOException {
        return RegisterImage.read(GoldenCasesTest.casesRoot().resolve("eastron/sdm630/nominal/registers.json"));
    }

    private Driver driverFor(ImageTcpServer server) {
        servers.add(server);
        return driverAt(server.port());
    }

    private Driver driverAt(int port) {
        ModbusSettings settings = new ModbusSettings(Optional.of("127.0.0.1:" + port), Optional.empty(), "", 1, 0);
        return track(PeerImages.driver("m" + port, "eastron/sdm630", settings, TIMEOUT, context));
    }

    @Override
    protected Duration deviceTimeout() {
        return TIMEOUT;
    }

    @Override
    protected Driver healthyDriver() throws Exception {
        return driverFor(new ImageTcpServer(sdm630(), ImageTcpServer.Mode.ANSWER));
    }

    @Override
    protected Driver hangingDriver() throws Exception {
        hanging = new ImageTcpServer(sdm630(), ImageTcpServer.Mode.SILENT);
        return driverFor(hanging);
    }

    @Override
    protected void awaitHangingRequest() throws Exception {
        hanging.requested.await();
    }

    @Override
    protected Driver refusingDriver() throws Exception {
        return driverAt(PeerImages.freePort());
    }

    @Override
    protected Driver partlyFailingDriver() throws Exception {
        RegisterImage partial = new RegisterImage(1);
        RegisterImage full = sdm630();
        for (int a = 0; a < 0x12; a++) {
            partial.put(ModbusTable.INPUT, a, full.get(ModbusTable.INPUT, a));
        }
        return driverFor(new ImageTcpServer(partial, ImageTcpServer.Mode.ANSWER));
    }

    @Override
    protected List<Driver> garbageDrivers() throws Exception {
        return List.of(driverFor(new ImageTcpServer(sdm630(), ImageTcpServer.Mode.GARBAGE)));
    }
}
