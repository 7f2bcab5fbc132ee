package io.headroom.agent.driver.cgminer;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverRegistry;
import io.headroom.agent.driver.GoldenCasesTest;
import io.headroom.agent.driver.PollResult;
import io.headroom.config.ConfigNode;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code profile: auto} with the cgminer driver, against a loopback server replaying real captures:
 * the device says which firmware it runs, the agent picks the profile whose match rules fit, and only
 * then polls and takes commands as that profile.
 */
class AutoProfileTest {

    private static final Path CASES = GoldenCasesTest.casesRoot();
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private FakeCgminerServer replaying(String caseDir) throws IOException {
        FakeCgminerServer server = new FakeCgminerServer().replaying(CASES.resolve(caseDir));
        closeables.add(server);
        return server;
    }

    private Driver autoDriver(int port) {
        DeviceConfig device = new DeviceConfig(
                "miner-1",
                DeviceConfig.AUTO,
                "cgminer",
                Duration.ofSeconds(5),
                TIMEOUT,
                Optional.empty(),
                new CgminerSettings("127.0.0.1", Optional.of(port)),
                new ConfigNode.Origin("agent.yaml", 1, "devices[0]"));
        Driver driver =
                TestDevices.DRIVERS.create(device, TestDevices.PROFILES, TestDevices.context(Clock.systemUTC()));
        closeables.add(driver);
        return driver;
    }

    private static Optional<String> profileOf(Driver driver) {
        DeviceConfig any = new DeviceConfig(
                "miner-1",
                DeviceConfig.AUTO,
                "cgminer",
                Duration.ofSeconds(5),
                TIMEOUT,
                Optional.empty(),
                new CgminerSettings("127.0.0.1", Optional.empty()),
                new ConfigNode.Origin("agent.yaml", 1, "devices[0]"));
        return DriverRegistry.currentProfile(any, driver, TestDevices.PROFILES).map(p -> p.id());
    }

    @Test
    void luxosCapture_isIdentifiedAsLuxos_andPolledAsIt() throws Exception {
        Driver driver =
                autoDriver(replaying("luxor/antminer-s19k-pro/luxos-2025.4.8").port());
        assertThat(profileOf(driver)).isEmpty();

        PollResult result = driver.poll();

        assertThat(profileOf(driver)).hasValue("luxor/luxos");
        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.readings()).anySatisfy(r -> assertThat(r.metric()).isEqualTo("power"));
    }

    @Test
    void stockCapture_isIdentifiedAsBmminer() throws Exception {
        Driver driver = autoDriver(
                replaying("antminer/antminer-s19-pro/bmminer-49.0.1.3").port());

        driver.poll();

        assertThat(profileOf(driver)).hasValue("antminer/bmminer");
    }

    @Test
    void firmwareNoProfileMatches_isOfflineUnidentified_andRetriedNextPoll() throws Exception {
        FakeCgminerServer server = replaying("luxor/antminer-s19k-pro/luxos-2025.4.8")
                .on(
                        "version",
                        r -> FakeCgminerServer.Reply.of(
                                "{\"STATUS\":[{\"STATUS\":\"S\"}],\"VERSION\":[{\"CGMiner\":\"4.11.1\",\"API\":\"3.7\"}],\"id\":1}"));
        Driver driver = autoDriver(server.port());

        PollResult first = driver.poll();
        PollResult second = driver.poll();

        assertThat(first.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(first.reason()).isEqualTo("unidentified");
        assertThat(first.message()).contains("antminer/bmminer").contains("luxor/luxos");
        assertThat(second.reason()).isEqualTo("unidentified");
        assertThat(server.count("version")).isEqualTo(2);
        assertThat(server.count("stats")).isZero();
        assertThat(profileOf(driver)).isEmpty();
    }

    @Test
    void deviceNotAnswering_isOfflineWithTheTransportReason() throws Exception {
        Driver driver = autoDriver(FakeCgminerServer.closedPort());

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("connection-refused");
        assertThat(result.message()).contains("who it is");
    }

    @Test
    void commandBeforeIdentification_isRejectedWithoutTouchingTheDevice() throws Exception {
        FakeCgminerServer server = replaying("luxor/antminer-s19k-pro/luxos-2025.4.8");
        Driver driver = autoDriver(server.port());

        CommandOutcome outcome = driver.execute(Verb.VERB_SLEEP, 0, "");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(outcome.reason()).isEqualTo("unidentified");
        assertThat(server.requests()).isEmpty();
    }
}
