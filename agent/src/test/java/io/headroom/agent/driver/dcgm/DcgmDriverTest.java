package io.headroom.agent.driver.dcgm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.gpu.dcgm.GpuSample;
import io.headroom.simulator.gpu.dcgm.SimulatedDcgmExporter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dcgm driver against the simulated dcgm-exporter and hostile HTTP peers, over real sockets. */
@Timeout(30)
class DcgmDriverTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private final DriverContext context = TestDevices.context(Clock.systemUTC());
    private final AtomicReference<List<GpuSample>> gpus = new AtomicReference<>(DcgmTestDevices.HEALTHY);
    private final SimulatedDcgmExporter exporter;
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<Driver> drivers = new ArrayList<>();

    DcgmDriverTest() throws IOException {
        exporter = new SimulatedDcgmExporter(gpus::get, "gpu-node-07");
    }

    @AfterEach
    void close() {
        drivers.forEach(Driver::close);
        exporter.close();
        servers.forEach(s -> s.stop(0));
        context.close();
    }

    private Driver driver(int port) {
        Driver driver = DcgmTestDevices.driver(port, TIMEOUT, context);
        drivers.add(driver);
        return driver;
    }

    private Driver fixed(int status, String type, String body) throws IOException {
        HttpServer server = DcgmTestDevices.fixed(status, type, body);
        servers.add(server);
        return driver(server.getAddress().getPort());
    }

    private static Map<String, Double> values(PollResult result) {
        Map<String, Double> out = new TreeMap<>();
        for (Reading r : result.readings()) {
            out.put(MetricDictionary.displayKey(r.metric(), r.instance()), r.value());
        }
        return out;
    }

    @Test
    void poll_simulatedExporter_readsEveryGpuAndTheServer() throws Exception {
        PollResult result = driver(exporter.port()).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.identity().model()).isEqualTo("NVIDIA H200");
        Map<String, Double> v = values(result);
        assertThat(v.get(MetricDictionary.displayKey("power", "0"))).isEqualTo(612.25);
        assertThat(v.get(MetricDictionary.displayKey("power", "1"))).isEqualTo(71.0);
        assertThat(v.get(MetricDictionary.displayKey("power", ""))).isEqualTo(683.25);
        assertThat(v.get(MetricDictionary.displayKey("energy", "0"))).isCloseTo(1000.0, within(1e-9));
        assertThat(v.get(MetricDictionary.displayKey("energy", ""))).isCloseTo(1200.0, within(1e-9));
        assertThat(v.get(MetricDictionary.displayKey("temperature.chip", ""))).isEqualTo(58.0);
        assertThat(v.get(MetricDictionary.displayKey("temperature.sensor", "0-memory")))
                .isEqualTo(64.0);
        assertThat(v.get(MetricDictionary.displayKey("load", "0"))).isEqualTo(97.0);
        assertThat(v.get(MetricDictionary.displayKey("power.target", ""))).isEqualTo(1150.0);
    }

    @Test
    void poll_blankSentinel_givesNoReading_notNineQuintillionDegrees() throws Exception {
        PollResult result = driver(exporter.port()).poll();

        assertThat(values(result)).doesNotContainKey(MetricDictionary.displayKey("temperature.sensor", "1-memory"));
        assertThat(result.readings()).allSatisfy(r -> assertThat(r.value()).isLessThan(1e6));
    }

    @Test
    void poll_blankPowerOnOneGpu_keepsTheOtherButGivesNoServerTotal() throws Exception {
        GpuSample blank = new GpuSample(1, "GPU-x", "NVIDIA H200", Double.NaN, 0, 31, 40, 0, 0, 0, 450);
        gpus.set(List.of(DcgmTestDevices.HEALTHY.get(0), blank));

        Map<String, Double> v = values(driver(exporter.port()).poll());

        assertThat(v).containsKey(MetricDictionary.displayKey("power", "0"));
        assertThat(v)
                .doesNotContainKeys(
                        MetricDictionary.displayKey("power", "1"), MetricDictionary.displayKey("power", ""));
    }

    @Test
    void poll_xidError_isDegradedNamingTheGpu_readingsKept() throws Exception {
        GpuSample failing = new GpuSample(1, "GPU-x", "NVIDIA H200", 71, 0, 31, 40, 0, 79, 0, 450);
        gpus.set(List.of(DcgmTestDevices.HEALTHY.get(0), failing));

        PollResult result = driver(exporter.port()).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("gpu-xid-error");
        assertThat(result.message()).isEqualTo("GPU 1: DCGM_FI_DEV_XID_ERRORS = 79");
        assertThat(values(result)).containsKey(MetricDictionary.displayKey("power", ""));
    }

    @Test
    void poll_thermalThrottle_isDegraded_butPowerCapThrottleIsNot() throws Exception {
        GpuSample hot = new GpuSample(1, "GPU-x", "NVIDIA H200", 71, 0, 89, 90, 100, 0, 0x44, 450);
        gpus.set(List.of(DcgmTestDevices.HEALTHY.get(0), hot));

        PollResult result = driver(exporter.port()).poll();

        assertThat(result.reason()).isEqualTo("gpu-throttled");
        assertThat(result.message()).isEqualTo("GPU 1: DCGM_FI_DEV_CLOCKS_EVENT_REASONS = 0x44");
    }

    @Test
    void poll_hangingExporter_isOfflineTimeout() throws Exception {
        exporter.mode(SimulatedDcgmExporter.Mode.HANG);

        PollResult result = driver(exporter.port()).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("timeout");
        assertThat(result.message()).contains("within 1500 ms");
    }

    @Test
    void poll_slowerThanTheTimeout_isOfflineTimeout_andTheNextPollIsServed() throws Exception {
        exporter.slowDelay(TIMEOUT.multipliedBy(3));
        exporter.mode(SimulatedDcgmExporter.Mode.SLOW);
        Driver driver = driver(exporter.port());

        assertThat(driver.poll().reason()).isEqualTo("timeout");

        exporter.mode(SimulatedDcgmExporter.Mode.NORMAL);
        assertThat(driver.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
    }

    @Test
    void poll_garbage_isDegradedBadResponse() throws Exception {
        exporter.mode(SimulatedDcgmExporter.Mode.GARBAGE);

        PollResult result = driver(exporter.port()).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("bad-response");
        assertThat(result.readings()).isEmpty();
    }

    @Test
    void poll_oversize_isDegradedOversize() throws Exception {
        exporter.oversizeBytes(DcgmHttp.MAX_BODY_BYTES + 1024);
        exporter.mode(SimulatedDcgmExporter.Mode.OVERSIZE);

        PollResult result = driver(exporter.port()).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("oversize-response");
        assertThat(result.message()).contains(Integer.toString(DcgmHttp.MAX_BODY_BYTES));
    }

    @Test
    void poll_oneBadLine_isDegradedWithTheLine_andKeepsTheRest() throws Exception {
        PollResult result = fixedPoll(
                200,
                "text/plain; version=0.0.4",
                "DCGM_FI_DEV_POWER_USAGE{gpu=\"0\"} 100\n" + "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\" 40\n");

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("bad-response");
        assertThat(result.message()).contains("line 2:");
        assertThat(values(result)).containsEntry(MetricDictionary.displayKey("power", "0"), 100.0);
    }

    private PollResult fixedPoll(int status, String type, String body) throws Exception {
        return fixed(status, type, body).poll();
    }

    @Test
    void poll_httpError_isDegradedNamingTheStatus() throws Exception {
        PollResult result = fixedPoll(503, "text/plain", "DCGM not ready\n");

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("http-status");
        assertThat(result.message()).contains("HTTP 503").contains("DCGM not ready");
    }

    @Test
    void poll_wrongContentType_isDegradedBadResponse() throws Exception {
        PollResult result = fixedPoll(200, "application/vnd.google.protobuf", "x\n");

        assertThat(result.reason()).isEqualTo("bad-response");
        assertThat(result.message()).contains("Content-Type");
    }

    @Test
    void poll_notUtf8_isDegradedBadResponse() throws Exception {
        HttpServer server =
                HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = {'m', ' ', (byte) 0xff, '\n'};
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        servers.add(server);

        PollResult result = driver(server.getAddress().getPort()).poll();

        assertThat(result.reason()).isEqualTo("bad-response");
        assertThat(result.message()).contains("not UTF-8");
    }

    @Test
    void poll_emptyExposition_isDegradedNoGpus() throws Exception {
        PollResult result = fixedPoll(200, "text/plain", "");

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("no-gpus");
    }

    @Test
    void poll_wrongPath_is404FromTheSimulator() throws Exception {
        DcgmProfile compiled = (DcgmProfile) TestDevices.PROFILES.compiled(DcgmTestDevices.PROFILE);
        DcgmDriver wrong = new DcgmDriver(
                "gpu-wrong",
                java.net.URI.create("http://127.0.0.1:" + exporter.port() + "/metric"),
                TIMEOUT,
                DcgmTestDevices.PROFILE,
                compiled,
                Clock.systemUTC(),
                new DcgmHttp());
        drivers.add(wrong);

        PollResult result = wrong.poll();

        assertThat(result.reason()).isEqualTo("http-status");
        assertThat(result.message()).contains("HTTP 404");
    }

    @Test
    void poll_nothingListening_isOfflineConnectionRefused() throws Exception {
        PollResult result = driver(DcgmTestDevices.freePort()).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("connection-refused");
    }

    @Test
    void execute_anyVerb_isRejectedAsReadOnly() throws Exception {
        CommandOutcome outcome = driver(exporter.port()).execute(Verb.VERB_SET_POWER_CAP, 400, "0");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(outcome.reason()).isEqualTo("unsupported");
        assertThat(outcome.message()).contains("only exports");
        assertThat(exporter.scrapes()).isZero();
    }

    @Test
    void driver_usesTheAgentsSharedHttpTransport() {
        driver(exporter.port());

        DcgmHttp shared = context.shared(DcgmHttp.SHARED_KEY, DcgmHttp.class, () -> {
            throw new AssertionError("the driver did not open the shared transport");
        });
        assertThat(shared).isNotNull();
    }
}
