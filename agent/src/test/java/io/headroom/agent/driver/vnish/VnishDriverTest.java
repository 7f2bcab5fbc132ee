package io.headroom.agent.driver.vnish;

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
import io.headroom.simulator.vnish.SimulatedVnish;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The vnish driver against the simulated Vnish web API over real HTTP with token unlock: reads, preset-only power
 * targets (a wattage that is no preset refused naming the nearest, nothing sent), stop/start, token lapses, hostile
 * replies.
 */
@Timeout(30)
class VnishDriverTest {

    private final VnishRig rig;

    VnishDriverTest() throws Exception {
        rig = new VnishRig();
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
    void simulatedPresets_areTheOnesTheseTestsAssume() {
        assertThat(rig.miner.presetWatts()).containsExactly(2280L, 2600L, 2930L, 3250L, 3510L);
        assertThat(rig.miner.tunedPresetWatts()).containsExactly(2280L, 2600L, 2930L, 3250L);
        assertThat(rig.miner.currentPresetWatts()).isEqualTo(3250);
    }

    @Test
    void poll_readsTheModelsState_afterOneLogin() throws Exception {
        rig.advance(Duration.ofMinutes(5));
        VnishDriver driver = rig.driver("web");

        PollResult result = driver.poll();

        MinerSnapshot truth = rig.miner.model().snapshot();
        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.identity().model()).isEqualTo("Antminer S19 Pro");
        assertThat(result.identity().firmware()).isEqualTo("Vnish 1.2.7");
        assertThat(value(result, "power", "")).isCloseTo(truth.powerWatts(), within(1.0));
        assertThat(value(result, "hashrate", "")).isCloseTo(truth.hashrateThs(), within(1e-6));
        assertThat(value(result, "hashrate", "board2"))
                .isCloseTo(truth.boards().get(1).hashrateThs(), within(1e-6));
        assertThat(value(result, "temperature.chip", "board3"))
                .isEqualTo((double) truth.boards().get(2).maxChipTempC());
        assertThat(value(result, "temperature.board", "board1"))
                .isEqualTo((double) truth.boards().get(0).maxPcbTempC());
        assertThat(value(result, "fan.speed", "fan4"))
                .isEqualTo((double) truth.fanRpms().get(3));
        assertThat(value(result, "power.target", "")).isEqualTo(3250.0);
        assertThat(value(result, "mode", "")).isEqualTo(Mode.NORMAL.code());
        assertThat(driver.logins()).isEqualTo(1);
    }

    @Test
    void token_isReused_acrossPollsAndCommands() throws Exception {
        VnishDriver driver = rig.driver("web");

        for (int i = 0; i < 3; i++) {
            assertThat(driver.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        }
        assertThat(driver.execute(Verb.VERB_SET_POWER_TARGET, 2600).status())
                .isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);

        assertThat(driver.logins()).isEqualTo(1);
        assertThat(rig.miner.refusals()).isZero();
    }

    @Test
    void presetWattage_isApplied_readBack_andPowerFollows() throws Exception {
        VnishDriver driver = rig.driver("web");

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 2600);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(2600);
        assertThat(outcome.message()).contains("preset 2600", "current preset reads 2600");
        assertThat(rig.miner.currentPresetWatts()).isEqualTo(2600);
        rig.advance(Duration.ofMinutes(2));
        PollResult result = driver.poll();
        assertThat(value(result, "power.target", "")).isEqualTo(2600.0);
        assertThat(value(result, "power", "")).isCloseTo(2600, within(2600 * 0.02));
    }

    @Test
    void wattageThatIsNoPreset_isRefusedNamingTheNearest_andNothingIsSent() throws Exception {
        rig.advance(Duration.ofMinutes(2));
        VnishDriver driver = rig.driver("web");
        double before = rig.miner.model().snapshot().powerWatts();

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 3000);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("not-a-preset");
        assertThat(outcome.message())
                .contains("3000 W is not one of the miner's tuned presets")
                .contains("nearest: 2930 W (below) and 3250 W (above)")
                .contains("presets: 2280, 2600, 2930, 3250 W")
                .contains("Nothing was sent");
        assertThat(outcome.readBack()).isEmpty();
        assertThat(rig.miner.settingsSaves()).isZero();
        assertThat(rig.miner.currentPresetWatts()).isEqualTo(3250);
        rig.advance(Duration.ofMinutes(2));
        assertThat(rig.miner.model().snapshot().powerWatts()).isCloseTo(before, within(3250 * 0.02));
    }

    @Test
    void wattageOutsideEveryPreset_namesTheOneNearest_only() throws Exception {
        VnishDriver driver = rig.driver("web");

        CommandOutcome low = driver.execute(Verb.VERB_SET_POWER_TARGET, 1500);
        CommandOutcome fraction = driver.execute(Verb.VERB_SET_POWER_TARGET, 2600.5);

        assertThat(low.reason()).isEqualTo("not-a-preset");
        assertThat(low.message()).contains("1500 W", "nearest: 2280 W (above);");
        assertThat(fraction.reason()).isEqualTo("not-a-preset");
        assertThat(fraction.message()).contains("2600.5 W", "2600 W (below) and 2930 W (above)");
        assertThat(rig.miner.settingsSaves()).isZero();
    }

    @Test
    void untunedPreset_isRefused_sayingSo() throws Exception {
        VnishDriver driver = rig.driver("web");

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 3510);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("not-a-preset");
        assertThat(outcome.message()).contains("3510 W is an untuned preset", "nearest: 3250 W (below);");
        assertThat(rig.miner.settingsSaves()).isZero();
    }

    @Test
    void presetTheMinerDoesNotKeep_isReadbackMismatch() throws Exception {
        rig.miner.faults().setIgnorePreset(true);
        VnishDriver driver = rig.driver("web");

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 2280);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("readback-mismatch");
        assertThat(outcome.readBack()).hasValue(3250);
        assertThat(outcome.message()).contains("expected current preset 2280", "'3250'");
    }

    @Test
    void sleepAndWake_stopAndStartMining_readBackFromTheMinersState() throws Exception {
        rig.advance(Duration.ofMinutes(1));
        VnishDriver driver = rig.driver("web");

        CommandOutcome sleep = driver.execute(Verb.VERB_SLEEP, 0);

        assertThat(sleep.status()).as(sleep.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(sleep.readBack()).hasValue(Mode.SLEEP.code());
        assertThat(sleep.message()).contains("mining/stop", "miner_state stopped");
        assertThat(rig.miner.mode()).isEqualTo(Mode.SLEEP);
        rig.advance(Duration.ofMinutes(1));
        PollResult asleep = driver.poll();
        assertThat(asleep.health()).as(asleep.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(asleep, "mode", "")).isEqualTo(Mode.SLEEP.code());
        assertThat(value(asleep, "power", "")).isCloseTo(SimulatedVnish.S19_PRO.sleepWatts(), within(1.0));

        CommandOutcome wake = driver.execute(Verb.VERB_WAKE, 0);

        assertThat(wake.status()).as(wake.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(wake.readBack()).hasValue(Mode.NORMAL.code());
        assertThat(rig.miner.stopped()).isFalse();
        rig.advance(Duration.ofMinutes(2));
        assertThat(value(driver.poll(), "power", "")).isCloseTo(3250, within(3250 * 0.02));
    }

    @Test
    void lapsedToken_brings401_andOneReLogin_withoutFailingTheCommand() throws Exception {
        VnishDriver driver = rig.driver("web");
        assertThat(driver.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);

        rig.advance(Duration.ofSeconds(SimulatedVnish.TOKEN_TIMEOUT_S + 60));
        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 2930);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(driver.logins()).isEqualTo(2);
        assertThat(rig.miner.refusals()).isEqualTo(1);
        assertThat(rig.miner.currentPresetWatts()).isEqualTo(2930);
    }

    @Test
    void forgottenToken_onAStop_isReLoggedInOnce_andTheStopApplied() throws Exception {
        VnishDriver driver = rig.driver("web");
        driver.poll();
        rig.miner.revokeTokens();

        CommandOutcome outcome = driver.execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(driver.logins()).isEqualTo(2);
        assertThat(rig.miner.stopped()).isTrue();
    }

    @Test
    void wrongPassword_isOfflineAuthFailed_namingTheDevice_afterOneExchange() throws Exception {
        VnishDriver driver = rig.driver("wrong");

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("auth-failed");
        assertThat(result.message()).contains("device vnish-1", "HTTP 403", "/api/v1/unlock", "credentials");
        assertThat(rig.miner.requests()).isEqualTo(1);
        CommandOutcome outcome = driver.execute(Verb.VERB_SLEEP, 0);
        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("auth-failed");
        assertThat(rig.miner.stopped()).isFalse();
    }

    @Test
    void noCredentials_isOfflineNoCredentials_withoutAsking() throws Exception {
        PollResult result = rig.driver(null).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("no-credentials");
        assertThat(result.message()).contains("vnish-1", "web UI password");
        assertThat(rig.miner.requests()).isZero();
    }

    @Test
    void apiKey_readsAndControls_withoutALogin() throws Exception {
        VnishDriver driver = rig.driver("key", "api-key");

        assertThat(driver.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 2280);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(driver.logins()).isZero();
        assertThat(rig.miner.logins()).isZero();
        assertThat(rig.miner.currentPresetWatts()).isEqualTo(2280);
    }

    @Test
    void wrongApiKey_isAuthFailed_onTheFirstPrivateRequest() throws Exception {
        VnishDriver driver = rig.driver("wrong", "api-key");

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 2280);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("auth-failed");
        assertThat(outcome.message()).contains("vnish-1", "API key", "HTTP 401");
        assertThat(rig.miner.requests()).isEqualTo(1);
        assertThat(rig.miner.currentPresetWatts()).isEqualTo(3250);
    }

    @Test
    void unsupportedVerbs_areRejectedUnsupported_withoutASingleRequest() throws Exception {
        VnishDriver driver = rig.driver("web");

        for (Verb verb : List.of(
                Verb.VERB_SET_POWER_CAP,
                Verb.VERB_REBOOT,
                Verb.VERB_LOCATE_ON,
                Verb.VERB_OUTLET_ON,
                Verb.VERB_WRITE_POINT)) {
            CommandOutcome outcome = driver.execute(verb, 1000);
            assertThat(outcome.status()).as(verb.name()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
            assertThat(outcome.reason()).isEqualTo("unsupported");
        }
        assertThat(rig.miner.requests()).isZero();
    }

    @Test
    void serverError_isOfflineHttp500_afterOneRead() throws Exception {
        rig.miner.faults().setServerError(true);
        VnishDriver driver = rig.driver("web");

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("http-500");
        assertThat(rig.miner.requests()).isEqualTo(2); // the unlock, then the first read
    }

    @Test
    void garbageAndOversizeBodies_areOffline_andCounted() throws Exception {
        rig.miner.faults().setGarbage(true);
        PollResult garbage = rig.driver("web").poll();
        rig.miner.faults().clear();
        rig.miner.faults().setOversize(true);
        PollResult oversize = rig.driver("web").poll();

        assertThat(garbage.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(garbage.reason()).isEqualTo("garbage");
        assertThat(garbage.message()).contains("device vnish-1", "not JSON");
        assertThat(oversize.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(oversize.reason()).isEqualTo("oversize");
        for (String reason : Set.of("garbage", "oversize")) {
            assertThat(rig.meters
                            .get("headroom.driver.vnish.replies.rejected")
                            .tag("reason", reason)
                            .counter()
                            .count())
                    .as(reason)
                    .isPositive();
        }
    }

    @Test
    void garbagePresetList_failsTheCommand_andSendsNothing() throws Exception {
        VnishDriver driver = rig.driver("web");
        driver.poll();
        rig.miner.faults().setGarbage(true);

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 2600);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("garbage");
        assertThat(outcome.message()).contains("/api/v1/autotune/presets", "not JSON");
        assertThat(rig.miner.settingsSaves()).isZero();
    }

    @Test
    void wrongTypes_areDegradedBadResponse_namingTheField_andCounted() throws Exception {
        rig.miner.faults().setWrongTypes(true);

        PollResult result = rig.driver("web").poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("bad-response");
        assertThat(result.message()).contains("summary: miner is array, not an object");
        assertThat(result.readings()).isEmpty();
        assertThat(rig.meters
                        .get("headroom.driver.vnish.replies.rejected")
                        .tag("reason", "bad-response")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aMissingEndpoint_isDegraded_andKeepsTheOthersReadings() throws Exception {
        rig.miner.faults().setMissing(Set.of("/api/v1/perf-summary"));

        PollResult result = rig.driver("web").poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("http-404");
        assertThat(reading(result, "power.target", "")).isEmpty();
        assertThat(reading(result, "power", "")).isPresent();
    }

    @Test
    void deadPools_areDegradedDeviceStatus_withReadingsKept() throws Exception {
        rig.miner.faults().setPoolsDead(true);

        PollResult result = rig.driver("web").poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("device-status");
        assertThat(result.message()).contains("none of the 1 configured pools is alive");
        assertThat(reading(result, "power", "")).isPresent();
    }
}
