package io.headroom.agent.driver.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The redfish driver against the simulated 8 x H100 server's BMC over real HTTPS on loopback. */
@Timeout(60)
class RedfishDriverSimulatorIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String MODERN = "dmtf/redfish-gpu-server";
    private static final String LEGACY = "dmtf/redfish-gpu-server-legacy";

    @TempDir
    Path dir;

    private RedfishTestBmc bmc;
    private final java.util.List<Driver> drivers = new java.util.ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        bmc = new RedfishTestBmc(dir);
    }

    @AfterEach
    void stop() {
        bmc.server.clearQuirks();
        drivers.forEach(Driver::close);
        bmc.close();
    }

    private Driver driver(String profile, RedfishSettings settings) {
        Driver driver = bmc.driver(profile, settings, TIMEOUT);
        drivers.add(driver);
        return driver;
    }

    private static OptionalDouble value(PollResult result, String metric, String instance) {
        return result.readings().stream()
                .filter(r -> r.metric().equals(metric) && r.instance().equals(instance))
                .mapToDouble(Reading::value)
                .findFirst();
    }

    @Test
    void poll_readsTheModel_andTheServiceRootsIdentity() throws Exception {
        PollResult result = driver(MODERN, bmc.settings()).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(result, "power", "").getAsDouble()).isCloseTo(bmc.model.chassisPowerWatts(), within(0.06));
        assertThat(value(result, "power.target", "").getAsDouble()).isEqualTo(6800);
        assertThat(value(result, "temperature.sensor", "chassis").getAsDouble()).isEqualTo(25);
        assertThat(value(result, "temperature.sensor", "gpu3temp").getAsDouble())
                .isCloseTo(bmc.model.gpus().get(2).temperatureC(), within(0.06));
        assertThat(value(result, "power", "psu1").getAsDouble())
                .isCloseTo(bmc.model.chassisPowerWatts() / 6, within(0.06));
        assertThat(value(result, "voltage", "psu6").getAsDouble()).isEqualTo(230);
        assertThat(result.identity().model()).isEqualTo("Headroom Simulated HGX H100 8-GPU");
        assertThat(result.identity().firmware()).isEqualTo("Redfish 1.15.0");
    }

    @Test
    void setPowerCap_isAppliedWhenReadBack_andTheModelsPowerFalls() throws Exception {
        Driver driver = driver(MODERN, bmc.settings());
        double before = value(driver.poll(), "power", "").getAsDouble();

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_CAP, 4400);
        bmc.clock.advance(Duration.ofSeconds(10));
        PollResult after = driver.poll();

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(4400);
        assertThat(bmc.server.patches()).isEqualTo(1);
        assertThat(bmc.model.powerCapWatts()).isEqualTo(4400);
        assertThat(value(after, "power.target", "").getAsDouble()).isEqualTo(4400);
        assertThat(before).isGreaterThan(6700);
        assertThat(value(after, "power", "").getAsDouble()).isCloseTo(4400, within(0.1));
    }

    @Test
    void setPowerCap_outsideTheDevicesRange_isRefusedNamingIt_withoutWriting() throws Exception {
        Driver driver = driver(MODERN, bmc.settings());

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_CAP, 1000);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(outcome.reason()).isEqualTo("out-of-range");
        assertThat(outcome.message()).contains("2800–6800 W");
        assertThat(bmc.server.patches()).isZero();
        assertThat(bmc.model.powerCapWatts()).isEqualTo(6800);
    }

    @Test
    void legacyProfile_readsPowerAndThermal_andCapsThroughPowerLimit() throws Exception {
        Driver driver = driver(LEGACY, bmc.settings());

        PollResult result = driver.poll();
        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_CAP, 5000);

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(result, "power.target", "").getAsDouble()).isEqualTo(6800);
        assertThat(value(result, "temperature.sensor", "temp0").getAsDouble()).isEqualTo(25);
        assertThat(value(result, "temperature.sensor", "temp8")).isPresent();
        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(bmc.model.powerCapWatts()).isEqualTo(5000);
    }

    @Test
    void legacyCap_refusedByTheBmc_failsWithTheBmcsOwnWords() throws Exception {
        Driver driver = driver(LEGACY, bmc.settings());

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_CAP, 2000);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("http-400");
        assertThat(outcome.message()).contains("is not in the supported range of 2800 to 6800");
    }

    @Test
    void close_deletesTheSession() throws Exception {
        Driver driver = driver(MODERN, bmc.settings());
        driver.poll();
        assertThat(bmc.server.liveSessions()).hasSize(1);
        String session = bmc.server.liveSessions().get(0);

        driver.close();

        assertThat(bmc.server.deletedSessions()).containsExactly(session);
        assertThat(bmc.server.liveSessions()).isEmpty();
    }

    @Test
    void expiredSession_isMadeAgain_andThePollSucceeds() throws Exception {
        Driver driver = driver(MODERN, bmc.settings());
        driver.poll();

        bmc.server.expireSessions();
        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(bmc.server.sessionsCreated()).isEqualTo(2);
    }

    @Test
    void wrongPassword_isOfflineAuthFailed_namingTheUser() throws Exception {
        Driver driver = driver(
                MODERN,
                bmc.settings(RedfishAuth.SESSION, Optional.of(bmc.caFile), bmc.wrongPasswordFile, bmc.server.port()));

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("auth-failed");
        assertThat(result.message()).contains("'admin'").doesNotContain("guess");
        assertThat(bmc.server.sessionsCreated()).isZero();
    }

    @Test
    void basicAuth_readsWithoutASession_andWrongPasswordIsAuthFailed() throws Exception {
        PollResult good = driver(
                        MODERN,
                        bmc.settings(RedfishAuth.BASIC, Optional.of(bmc.caFile), bmc.passwordFile, bmc.server.port()))
                .poll();
        PollResult bad = driver(
                        MODERN,
                        bmc.settings(
                                RedfishAuth.BASIC, Optional.of(bmc.caFile), bmc.wrongPasswordFile, bmc.server.port()))
                .poll();

        assertThat(good.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(bad.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(bad.reason()).isEqualTo("auth-failed");
        assertThat(bmc.server.sessionsCreated()).isZero();
    }

    @Test
    void hungBmc_isOfflineTimeout_andCloseEndsThePollAtOnce() throws Exception {
        Driver driver = driver(MODERN, bmc.settings());
        driver.poll();
        bmc.server.setResponseDelay(Duration.ofSeconds(30));

        PollResult timedOut = driver.poll();
        int before = bmc.server.requests();
        CompletableFuture<PollResult> hanging = CompletableFuture.supplyAsync(() -> {
            try {
                return driver.poll();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        org.awaitility.Awaitility.await().until(() -> bmc.server.requests() > before);
        bmc.server.clearQuirks();
        driver.close();

        assertThat(timedOut.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(timedOut.reason()).isEqualTo("timeout");
        PollResult closed = hanging.get(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
        assertThat(closed.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(bmc.server.deletedSessions()).hasSize(1);
    }

    @Test
    void garbageAndOversizeBodies_areOfflineWithTheirReason() throws Exception {
        Driver driver = driver(MODERN, bmc.settings());

        bmc.server.setGarbage(true);
        PollResult garbage = driver.poll();
        bmc.server.clearQuirks();
        bmc.server.setOversize(true);
        PollResult oversize = driver.poll();
        bmc.server.clearQuirks();
        PollResult healthy = driver.poll();

        assertThat(garbage.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(garbage.reason()).isEqualTo("garbage");
        assertThat(oversize.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(oversize.reason()).isEqualTo("oversize");
        assertThat(healthy.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
    }

    @Test
    void missingResource_isDegraded_keepingTheRest() throws Exception {
        bmc.server.setMissing(java.util.Set.of("/redfish/v1/Chassis/HGX/PowerSubsystem/PowerSupplies/PSU2/Metrics"));

        PollResult result = driver(MODERN, bmc.settings()).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("http-404");
        assertThat(value(result, "power", "psu2")).isEmpty();
        assertThat(value(result, "power", "psu1")).isPresent();
        assertThat(value(result, "power", "")).isPresent();
    }

    @Test
    void tls_withoutTheCaFile_isOfflineTls_andNoPasswordIsSent() throws Exception {
        PollResult result = driver(
                        MODERN,
                        bmc.settings(RedfishAuth.SESSION, Optional.empty(), bmc.passwordFile, bmc.server.port()))
                .poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("tls");
        assertThat(bmc.server.sessionsCreated()).isZero();
    }

    @Test
    void profileAuto_identifiesTheModernModel_thenReads() throws Exception {
        Driver driver = driver("auto", bmc.settings());

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(result, "power.target", "")).hasValue(6800);
        assertThat(driver.toString()).contains(MODERN);
    }
}
