package io.headroom.agent.driver.antminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.miner.MinerSnapshot;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The antminer-web driver against the simulated stock Antminer over real HTTP with Digest authentication. */
@Timeout(30)
class AntminerDriverTest {

    private final AntminerRig rig;

    AntminerDriverTest() throws Exception {
        rig = new AntminerRig();
    }

    @AfterEach
    void close() {
        rig.close();
    }

    private static Optional<Reading> reading(PollResult result, String metric, String instance) {
        return result.readings().stream()
                .filter(r -> r.metric().equals(metric) && r.instance().equals(instance))
                .findFirst();
    }

    private static double value(PollResult result, String metric, String instance) {
        return reading(result, metric, instance)
                .orElseThrow(() -> new AssertionError("no " + metric + "[" + instance + "] in " + result))
                .value();
    }

    @Test
    void poll_readsTheModelsState_overDigestAuth() throws Exception {
        rig.advance(Duration.ofMinutes(5));
        AntminerDriver driver = rig.driver("web");

        PollResult result = driver.poll();

        MinerSnapshot truth = rig.miner.model().snapshot();
        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.identity().model()).isEqualTo("Antminer S21");
        assertThat(value(result, "hashrate", "")).isCloseTo(truth.hashrateThs(), within(0.01));
        assertThat(value(result, "hashrate", "board1"))
                .isCloseTo(truth.boards().get(0).hashrateThs(), within(0.01));
        assertThat(value(result, "temperature.chip", "board3"))
                .isEqualTo((double) truth.boards().get(2).maxChipTempC());
        assertThat(value(result, "fan.speed", "fan4"))
                .isEqualTo((double) truth.fanRpms().get(3));
        assertThat(value(result, "power", "")).isCloseTo(truth.powerWatts(), within(1.0));
        assertThat(value(result, "mode", "")).isEqualTo(Mode.NORMAL.code());
    }

    @Test
    void credentials_areReused_notChallengedOnEveryRequest() throws Exception {
        AntminerDriver driver = rig.driver("web");

        for (int i = 0; i < 3; i++) {
            assertThat(driver.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        }

        assertThat(driver.challenges()).isEqualTo(1);
        assertThat(rig.miner.requests()).isEqualTo(1 + 3 * AntminerDriver.POLL_CGIS.size());
        assertThat(rig.miner.refusals()).isZero();
    }

    @Test
    void staleNonce_isRenewedWithoutFailingThePoll() throws Exception {
        rig.miner.setNonceLifetime(Duration.ofSeconds(30));
        AntminerDriver driver = rig.driver("web");
        assertThat(driver.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);

        rig.advance(Duration.ofMinutes(1));
        PollResult later = driver.poll();

        assertThat(later.health()).as(later.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(driver.challenges()).isEqualTo(2);
        assertThat(rig.miner.refusals()).isZero();
    }

    @Test
    void sha256Challenge_isAnswered() throws Exception {
        rig.miner.setDigestAlgorithm("SHA-256");

        PollResult result = rig.driver("web").poll();

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
    }

    @Test
    void wrongPassword_isOfflineAuthFailed_namingTheDevice_afterTwoExchanges() throws Exception {
        AntminerDriver driver = rig.driver("wrong");

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("auth-failed");
        assertThat(result.message()).contains("device am-1", "user 'root'", "credentials");
        assertThat(rig.miner.requests()).isEqualTo(2);
        assertThat(rig.miner.refusals()).isEqualTo(1);
    }

    @Test
    void noCredentials_isOfflineNoCredentials_withoutAsking() throws Exception {
        PollResult result = rig.driver(null).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("no-credentials");
        assertThat(result.message()).contains("device am-1 has no credentials");
        assertThat(rig.miner.requests()).isEqualTo(1); // the unauthenticated first request, answered 401
    }

    @Test
    void sleep_isAppliedOnReadBack_andPowerFallsToTheSleepDraw() throws Exception {
        rig.advance(Duration.ofMinutes(5));
        AntminerDriver driver = rig.driver("web");

        CommandOutcome outcome = driver.execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(Mode.SLEEP.code());
        assertThat(outcome.message()).contains("bitmain-work-mode 1", "within about 1 min");
        assertThat(rig.miner.workMode()).isEqualTo("1");
        assertThat(rig.miner.conf().path("pools").path(0).path("url").asText())
                .as("the pools are posted back with the mode")
                .isEqualTo("stratum+tcp://pool.example.com:3333");

        rig.advance(Duration.ofMinutes(1));
        PollResult asleep = driver.poll();
        assertThat(value(asleep, "mode", "")).isEqualTo(Mode.SLEEP.code());
        assertThat(value(asleep, "hashrate", "")).isZero();
        assertThat(value(asleep, "power", "")).isCloseTo(SimulatedSpec.SLEEP_WATTS, within(5.0));
    }

    @Test
    void wake_isAppliedOnReadBack_andHashingComesBackAfterTheBoardsRestart() throws Exception {
        AntminerDriver driver = rig.driver("web");
        assertThat(driver.execute(Verb.VERB_SLEEP, 0).status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        rig.advance(Duration.ofMinutes(2));

        CommandOutcome outcome = driver.execute(Verb.VERB_WAKE, 0);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(Mode.NORMAL.code());
        assertThat(outcome.message()).contains("hash boards restart", "within about 5 min");
        rig.advance(Duration.ofSeconds(10));
        assertThat(value(driver.poll(), "hashrate", "")).as("still booting").isZero();

        rig.advance(Duration.ofMinutes(3));
        PollResult awake = driver.poll();
        assertThat(value(awake, "mode", "")).isEqualTo(Mode.NORMAL.code());
        assertThat(value(awake, "hashrate", "")).isGreaterThan(150);
        assertThat(value(awake, "power", "")).isGreaterThan(3000);
    }

    @Test
    void firmwareThatIgnoresTheMode_failsWithTheReadBack() throws Exception {
        rig.miner.faults().setIgnoreMode(true);

        CommandOutcome outcome = rig.driver("web").execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("readback-mismatch");
        assertThat(outcome.message()).contains("expected bitmain-work-mode 1", "reads '0'");
        assertThat(outcome.readBack()).hasValue(Mode.NORMAL.code());
    }

    @Test
    void slowWrite_withinTheWriteTimeout_isApplied_beyondIt_failsTimeout() throws Exception {
        rig.miner.faults().setWriteDelay(Duration.ofMillis(2000)); // longer than the 1.5 s read timeout
        CommandOutcome slow = rig.driver("web", Duration.ofSeconds(10)).execute(Verb.VERB_SLEEP, 0);
        assertThat(slow.status()).as(slow.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);

        CommandOutcome tooSlow = rig.driver("web", Duration.ofMillis(500)).execute(Verb.VERB_WAKE, 0);
        assertThat(tooSlow.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(tooSlow.reason()).isEqualTo("timeout");
    }

    @Test
    void wrongPassword_onACommand_failsAuthFailed_andChangesNothing() throws Exception {
        CommandOutcome outcome = rig.driver("wrong").execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("auth-failed");
        assertThat(outcome.message()).contains("device am-1");
        assertThat(rig.miner.confWrites()).isZero();
        assertThat(rig.miner.workMode()).isEqualTo("0");
    }

    @Test
    void locate_onAndOff_areReadBackFromTheBlinkStatus() throws Exception {
        AntminerDriver driver = rig.driver("web");

        CommandOutcome on = driver.execute(Verb.VERB_LOCATE_ON, 0);
        assertThat(on.status()).as(on.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(rig.miner.blinking()).isTrue();

        CommandOutcome off = driver.execute(Verb.VERB_LOCATE_OFF, 0);
        assertThat(off.status()).as(off.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(rig.miner.blinking()).isFalse();
    }

    @Test
    void reboot_isAcknowledged_andTheMinerRestarts() throws Exception {
        rig.advance(Duration.ofMinutes(5));
        AntminerDriver driver = rig.driver("web");

        CommandOutcome outcome = driver.execute(Verb.VERB_REBOOT, 0);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(rig.miner.reboots()).isEqualTo(1);
        rig.advance(Duration.ofSeconds(30));
        assertThat(value(driver.poll(), "hashrate", "")).isZero();
    }

    @Test
    void unsupportedVerb_isRejectedWithoutAsking() throws Exception {
        CommandOutcome outcome = rig.driver("web").execute(Verb.VERB_SET_POWER_TARGET, 3000);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(outcome.reason()).isEqualTo("unsupported");
        assertThat(rig.miner.requests()).isZero();
    }

    @Test
    void garbage_isOfflineGarbage_andOversize_isOfflineOversize() throws Exception {
        AntminerDriver driver = rig.driver("web");
        rig.miner.faults().setGarbage(true);
        PollResult garbage = driver.poll();
        assertThat(garbage.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(garbage.reason()).isEqualTo("garbage");
        assertThat(garbage.message()).contains("device am-1", "stats.cgi");

        rig.miner.faults().clear();
        rig.miner.faults().setOversize(true);
        PollResult oversize = driver.poll();
        assertThat(oversize.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(oversize.reason()).isEqualTo("oversize");

        rig.miner.faults().clear();
        assertThat(driver.poll().health()).as("recovers").isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
    }

    @Test
    void missingCgi_isDegraded_andKeepsTheOtherReadings() throws Exception {
        rig.miner.faults().setMissing(Set.of("get_miner_conf"));

        PollResult result = rig.driver("web").poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("http-404");
        assertThat(reading(result, "mode", "")).isEmpty();
        assertThat(reading(result, "hashrate", "")).isPresent();
    }

    @Test
    void identify_recognisesTheStockFirmware_andAWrongPasswordIsAClearRefusal() throws Exception {
        io.headroom.profiles.FirmwareProfile profile = io.headroom.agent.TestDevices.profile(AntminerRig.PROFILE);
        java.util.Map<io.headroom.profiles.FirmwareProfile, AntminerProfile> candidates = java.util.Map.of(
                profile, (AntminerProfile) io.headroom.agent.TestDevices.PROFILES.compiled(profile.id()));
        AntminerDriverFactory factory = new AntminerDriverFactory();
        AntminerSettings settings = AntminerRig.settings(rig.miner.port(), Duration.ofSeconds(10));

        assertThat(factory.identify(
                        AntminerRig.device(settings, "web", AntminerRig.TIMEOUT), settings, candidates, rig.context()))
                .hasValue(profile);

        io.headroom.agent.driver.IdentificationException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.headroom.agent.driver.IdentificationException.class,
                () -> factory.identify(
                        AntminerRig.device(settings, "wrong", AntminerRig.TIMEOUT),
                        settings,
                        candidates,
                        rig.context()));
        assertThat(refused).isNotNull();
        assertThat(refused.reason()).isEqualTo("auth-failed");
        assertThat(refused.getMessage()).contains("cannot ask 127.0.0.1 who it is", "user 'root'");
    }

    /** Figures of {@code SimulatedAntminer.S21}. */
    private static final class SimulatedSpec {
        static final double SLEEP_WATTS = 30;
    }
}
