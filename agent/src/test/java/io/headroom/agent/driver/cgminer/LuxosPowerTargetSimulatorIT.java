package io.headroom.agent.driver.cgminer;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.profiles.ProfileCatalog;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.cgminer.CgminerRpcServer;
import io.headroom.simulator.cgminer.Faults;
import io.headroom.simulator.cgminer.LuxosRpc;
import io.headroom.simulator.cgminer.RpcListener;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSpec;
import io.headroom.simulator.time.ManualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * LuxOS set-power-target (preset profiles, ATM interlock) and reboot, from {@code execute} to the simulated
 * S19 XP's power target, over loopback TCP, with the opt-in site profile {@code luxor/luxos-presets}
 * (luxor/luxos plus set-power-target, D30).
 */
@Timeout(60)
class LuxosPowerTargetSimulatorIT {

    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final Path SITE_PROFILES = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("src/test/resources/cgminer/site-profiles");

    private final ManualClock clock = new ManualClock(T0);
    private final MinerModel model = new MinerModel(MinerSpec.S19_XP, 3, 25.0, T0);
    private CgminerRpcServer server;
    private LuxosRpc rpc;
    private Driver driver;

    @BeforeEach
    void start() throws Exception {
        server = CgminerRpcServer.start("luxos-presets-it");
        rpc = new LuxosRpc(model, MinerIdentity.generate(3, 0), clock, 3, Duration.ofSeconds(45));
        RpcListener listener =
                server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), rpc, new Faults());
        DeviceConfig device = TestDevices.cgminer(
                "lux-0",
                "luxor/luxos-presets",
                listener.address().getHostString(),
                listener.port(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(2));
        // The opt-in site profile (luxor/luxos plus set-power-target), loaded as an agent loads a site folder.
        ProfileCatalog catalog = ProfileCatalog.loadWith(SITE_PROFILES);
        driver = TestDevices.DRIVERS.create(device, TestDevices.DRIVERS.compile(catalog), TestDevices.context(clock));
    }

    @AfterEach
    void stop() {
        driver.close();
        server.close();
    }

    private static OptionalDouble value(PollResult result, String metric) {
        return result.readings().stream()
                .filter(r -> r.metric().equals(metric) && r.instance().isEmpty())
                .mapToDouble(Reading::value)
                .findFirst();
    }

    @Test
    void poll_reportsTheActiveProfilesWattsAsPowerTarget() throws Exception {
        PollResult result = driver.poll();

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(result, MetricDictionary.POWER_TARGET)).hasValue(3010.0);
    }

    @Test
    void setPowerTarget_withAtmOn_releasesAtm_setsTheHighestProfileAtOrBelow_andReadsItBack() throws Exception {
        long p430 = rpc.profileWatts("430MHz");
        long p455 = rpc.profileWatts("455MHz");
        double wanted = (p430 + p455) / 2.0;
        assertThat(rpc.atmEnabled()).isTrue();

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, Math.floor(wanted), "");

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue((double) p430);
        assertThat(outcome.message()).contains("430MHz").contains("ATM[0].Enabled was on; released first");
        assertThat(rpc.atmEnabled()).isFalse();
        assertThat(rpc.activeProfile()).isEqualTo("430MHz");
        assertThat(model.powerTargetWatts()).isEqualTo((double) p430);
        assertThat(value(driver.poll(), MetricDictionary.POWER_TARGET)).hasValue((double) p430);
    }

    @Test
    void setPowerTarget_withAtmOff_doesNotTouchAtm() throws Exception {
        rpc.setAtmEnabled(false);
        double p480 = rpc.profileWatts("480MHz");

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, p480, "");

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(p480);
        assertThat(outcome.message()).doesNotContain("released");
        assertThat(rpc.activeProfile()).isEqualTo("480MHz");
    }

    @Test
    void setPowerTarget_whoseProfileIsAlreadyActive_isAppliedWithoutAWrite() throws Exception {
        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 3100, "");

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(3010.0);
        assertThat(outcome.message()).contains("505MHz").contains("already in force");
        assertThat(rpc.atmEnabled()).as("nothing was sent: ATM untouched").isTrue();
    }

    @Test
    void setPowerTarget_belowTheLowestProfile_isRefusedNamingTheProfiles_andNothingChanges() throws Exception {
        long lowest = rpc.profileWatts(rpc.profileNames().get(0));

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, lowest - 1, "");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(outcome.reason()).isEqualTo("below-lowest-preset");
        assertThat(outcome.message())
                .contains(rpc.profileNames().get(0) + " = " + lowest + " W")
                .contains("505MHz");
        assertThat(rpc.atmEnabled()).as("refused before anything is sent").isTrue();
        assertThat(model.powerTargetWatts()).isEqualTo(3010.0);
    }

    @Test
    void setPowerTarget_whileAnotherSessionIsOpen_isSessionBusy_andAtmStaysOn() throws Exception {
        try (CgminerClient other = new CgminerClient("127.0.0.1", portOf(), Duration.ofSeconds(1))) {
            other.request("logon");

            CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 3000, "");

            assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
            assertThat(outcome.reason()).isEqualTo("session-busy");
            assertThat(rpc.atmEnabled()).isTrue();
        }
    }

    @Test
    void reboot_isApplied_andTheRigIsGoneForItsRebootPeriod_thenSleepsOnIfItSlept() throws Exception {
        assertThat(driver.execute(Verb.VERB_SLEEP, 0, "").status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);

        CommandOutcome reboot = driver.execute(Verb.VERB_REBOOT, 0, "");

        assertThat(reboot.status()).as(reboot.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(rpc.rebooting()).isTrue();
        assertThat(driver.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        clock.advance(Duration.ofSeconds(45));
        PollResult back = driver.poll();
        assertThat(back.health()).as(back.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(back, MetricDictionary.MODE)).hasValue(Mode.SLEEP.code());
    }

    private int portOf() {
        return Integer.parseInt(driver.toString().replaceAll(".*:(\\d+) .*", "$1"));
    }
}
