package io.headroom.agent.driver.nvsmi;

import static org.awaitility.Awaitility.await;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverContractTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver contract for the nvidia-smi driver, with fake nvidia-smi scripts: "refusing" is an
 * executable that cannot be started, "hanging" one that never exits.
 */
@DisabledOnOs(OS.WINDOWS)
class NvsmiDriverContractTest extends DriverContractTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    private final DriverContext context = TestDevices.context(Clock.systemUTC());
    private FakeNvidiaSmi hanging;
    private int fakes;

    @AfterEach
    void closeContext() {
        context.close();
    }

    private FakeNvidiaSmi fake(String fixture) throws IOException {
        Path home = Files.createDirectory(dir.resolve("fake" + fakes++));
        return FakeNvidiaSmi.create(home, fixture);
    }

    private Driver driver(FakeNvidiaSmi fake) {
        return track(NvsmiTestDevices.driver(fake.script.toString(), TIMEOUT, context));
    }

    @Override
    protected Duration deviceTimeout() {
        return TIMEOUT;
    }

    @Override
    protected Driver healthyDriver() throws Exception {
        return driver(fake(FakeNvidiaSmi.a100()));
    }

    @Override
    protected Driver hangingDriver() throws Exception {
        hanging = fake(FakeNvidiaSmi.a100());
        hanging.mode("hang");
        return driver(hanging);
    }

    @Override
    protected void awaitHangingRequest() {
        await().atMost(Duration.ofSeconds(10)).until(hanging::started);
    }

    @Override
    protected Driver refusingDriver() {
        return track(NvsmiTestDevices.driver(dir.resolve("missing/nvidia-smi").toString(), TIMEOUT, context));
    }

    @Override
    protected Driver partlyFailingDriver() throws Exception {
        String fixture = FakeNvidiaSmi.a100()
                .replace("<power_draw>67.03 W</power_draw>", "<power_draw>[Unknown Error]</power_draw>");
        return driver(fake(fixture));
    }

    @Override
    protected List<Driver> garbageDrivers() throws Exception {
        FakeNvidiaSmi truncated = fake(FakeNvidiaSmi.a100());
        truncated.mode("garbage");
        FakeNvidiaSmi oversize = fake(FakeNvidiaSmi.a100());
        oversize.mode("oversize");
        return List.of(
                driver(truncated),
                driver(oversize),
                driver(fake("<html><body>not xml</body></html>\n")),
                driver(fake("GPU 0: NVIDIA H200 (UUID: GPU-1)\n")),
                driver(fake("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;"
                        + "&a;&a;&a;&a;&a;\">]><nvidia_smi_log>&b;</nvidia_smi_log>\n")),
                driver(
                        fake(
                                "<?xml version=\"1.0\"?><nvidia_smi_log><driver_version>1</driver_version></nvidia_smi_log>\n")));
    }
}
