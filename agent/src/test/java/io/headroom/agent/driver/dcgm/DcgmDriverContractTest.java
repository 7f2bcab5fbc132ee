package io.headroom.agent.driver.dcgm;

import com.sun.net.httpserver.HttpServer;
import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverContractTest;
import io.headroom.agent.driver.GoldenCasesTest;
import io.headroom.simulator.gpu.dcgm.SimulatedDcgmExporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The driver contract for the dcgm driver: a loopback HTTP peer serving the golden case's body
 * (whole, or with one broken line), and the simulated exporter hanging or answering garbage.
 */
class DcgmDriverContractTest extends DriverContractTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1000);
    private static final String TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final DriverContext context = TestDevices.context(Clock.systemUTC());
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<SimulatedDcgmExporter> exporters = new ArrayList<>();
    private SimulatedDcgmExporter hanging;

    @AfterEach
    void stopPeers() {
        servers.forEach(s -> s.stop(0));
        exporters.forEach(SimulatedDcgmExporter::close);
        context.close();
    }

    private static String body() throws IOException {
        return Files.readString(
                GoldenCasesTest.casesRoot().resolve("nvidia/h100-80gb-hbm3/dcgm-default-counters/metrics.txt"),
                StandardCharsets.UTF_8);
    }

    private Driver serving(int status, String type, String body) throws IOException {
        HttpServer server = DcgmTestDevices.fixed(status, type, body);
        servers.add(server);
        return track(DcgmTestDevices.driver(server.getAddress().getPort(), TIMEOUT, context));
    }

    private SimulatedDcgmExporter exporter(SimulatedDcgmExporter.Mode mode) throws IOException {
        SimulatedDcgmExporter exporter = new SimulatedDcgmExporter(() -> DcgmTestDevices.HEALTHY, "gpu-node-07");
        exporter.mode(mode);
        exporters.add(exporter);
        return exporter;
    }

    @Override
    protected Duration deviceTimeout() {
        return TIMEOUT;
    }

    @Override
    protected Driver healthyDriver() throws Exception {
        return serving(200, TYPE, body());
    }

    @Override
    protected Driver hangingDriver() throws Exception {
        hanging = exporter(SimulatedDcgmExporter.Mode.HANG);
        return track(DcgmTestDevices.driver(hanging.port(), TIMEOUT, context));
    }

    @Override
    protected void awaitHangingRequest() throws Exception {
        hanging.awaitRequest(Duration.ofSeconds(10));
    }

    @Override
    protected Driver refusingDriver() throws Exception {
        return track(DcgmTestDevices.driver(DcgmTestDevices.freePort(), TIMEOUT, context));
    }

    @Override
    protected Driver partlyFailingDriver() throws Exception {
        String body = body().replace("DCGM_FI_DEV_GPU_TEMP{gpu=\"1\"", "DCGM_FI_DEV_GPU_TEMP{gpu=\"1\" broken=");
        return serving(200, TYPE, body);
    }

    @Override
    protected List<Driver> garbageDrivers() throws Exception {
        SimulatedDcgmExporter garbage = exporter(SimulatedDcgmExporter.Mode.GARBAGE);
        SimulatedDcgmExporter oversize = exporter(SimulatedDcgmExporter.Mode.OVERSIZE);
        oversize.oversizeBytes(DcgmHttp.MAX_BODY_BYTES * 2);
        return List.of(
                track(DcgmTestDevices.driver(garbage.port(), TIMEOUT, context)),
                track(DcgmTestDevices.driver(oversize.port(), TIMEOUT, context)),
                serving(200, "text/html", "<html><body>Grafana</body></html>\n"),
                serving(200, TYPE, "{\"json\": true}\n"),
                serving(200, TYPE, body().substring(0, body().length() - 7)),
                serving(500, TYPE, ""));
    }
}
