package io.headroom.agent.driver.braiins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.braiins.SimulatedBraiins;
import io.headroom.simulator.miner.MinerSnapshot;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The braiins driver against the simulated Braiins OS REST API over real HTTP with token login. */
@Timeout(30)
class BraiinsDriverTest {

    private final BraiinsRig rig;

    BraiinsDriverTest() throws Exception {
        rig = new BraiinsRig();
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
    void poll_readsTheModelsState_afterOneLogin() throws Exception {
        rig.advance(Duration.ofMinutes(5));
        BraiinsDriver driver = rig.driver("web");

        PollResult result = driver.poll();

        MinerSnapshot truth = rig.miner.model().snapshot();
        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.identity().model()).isEqualTo("Antminer S19 XP");
        assertThat(result.identity().firmware()).isEqualTo("Braiins OS 2025-08-06-0-3881c51d-25.07-plus (API 1.3.0)");
        assertThat(value(result, "power", "")).isCloseTo(truth.powerWatts(), within(1.0));
        assertThat(value(result, "hashrate", "")).isCloseTo(truth.hashrateThs(), within(1e-6));
        assertThat(value(result, "hashrate", "board2"))
                .isCloseTo(truth.boards().get(1).hashrateThs(), within(1e-6));
        assertThat(value(result, "temperature.chip", "board3"))
                .isEqualTo((double) truth.boards().get(2).maxChipTempC());
        assertThat(value(result, "temperature.board", "board1"))
                .isEqualTo((double) truth.boards().get(0).maxPcbTempC());
        assertThat(value(result, "temperature.inlet", "board1")).isEqualTo(25.0);
        assertThat(value(result, "fan.speed", "fan4"))
                .isEqualTo((double) truth.fanRpms().get(3));
        assertThat(value(result, "power.target", "")).isEqualTo(3137.0);
        assertThat(value(result, "mode", "")).isEqualTo(Mode.NORMAL.code());
        assertThat(driver.logins()).isEqualTo(1);
    }

    @Test
    void token_isReused_acrossPolls() throws Exception {
        BraiinsDriver driver = rig.driver("web");

        for (int i = 0; i < 3; i++) {
            assertThat(driver.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        }

        assertThat(driver.logins()).isEqualTo(1);
        assertThat(rig.miner.requests()).isEqualTo(1 + 3 * BraiinsDriver.POLL_READS.size());
        assertThat(rig.miner.refusals()).isZero();
    }

    @Test
    void lapsedToken_brings401_andOneReLogin_withoutFailingThePoll() throws Exception {
        BraiinsDriver driver = rig.driver("web");
        assertThat(driver.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);

        rig.advance(Duration.ofSeconds(SimulatedBraiins.TOKEN_TIMEOUT_S + 60));
        PollResult later = driver.poll();

        assertThat(later.health()).as(later.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(driver.logins()).isEqualTo(2);
        assertThat(rig.miner.refusals()).isEqualTo(1);
    }

    @Test
    void forgottenToken_onAWrite_isReLoggedInOnce_andTheWriteApplied() throws Exception {
        BraiinsDriver driver = rig.driver("web");
        driver.poll();
        rig.miner.revokeTokens();

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 2800);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(driver.logins()).isEqualTo(2);
        assertThat(rig.miner.model().powerTargetWatts()).isEqualTo(2800);
    }

    @Test
    void wrongPassword_isOfflineAuthFailed_namingTheDevice_afterOneExchange() throws Exception {
        BraiinsDriver driver = rig.driver("wrong");

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("auth-failed");
        assertThat(result.message()).contains("device bos-1", "user 'root'", "credentials");
        assertThat(rig.miner.requests()).isEqualTo(1);
        CommandOutcome outcome = driver.execute(Verb.VERB_SLEEP, 0);
        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("auth-failed");
        assertThat(rig.miner.paused()).isFalse();
    }

    @Test
    void noCredentials_isOfflineNoCredentials_withoutAsking() throws Exception {
        PollResult result = rig.driver(null).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("no-credentials");
        assertThat(rig.miner.requests()).isZero();
    }

    @Test
    void powerTarget_isSet_readBack_andPowerFollows() throws Exception {
        BraiinsDriver driver = rig.driver("web");

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 2500);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(2500);
        assertThat(outcome.message()).contains("2500 W").doesNotContain("clamped");
        rig.advance(Duration.ofMinutes(2));
        PollResult result = driver.poll();
        assertThat(value(result, "power.target", "")).isEqualTo(2500.0);
        assertThat(value(result, "power", "")).isCloseTo(2500, within(2500 * 0.02));
    }

    @Test
    void powerTarget_outsideTheMinersOwnRange_isClamped_andSaysSo() throws Exception {
        rig.miner.setPowerTargetRange(2000, 3300);
        BraiinsDriver driver = rig.driver("web");

        CommandOutcome high = driver.execute(Verb.VERB_SET_POWER_TARGET, 3900);
        CommandOutcome low = driver.execute(Verb.VERB_SET_POWER_TARGET, 1200);

        assertThat(high.status()).as(high.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(high.readBack()).hasValue(3300);
        assertThat(high.message()).contains("clamped from 3900 W", "2000–3300 W");
        assertThat(low.status()).as(low.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(low.readBack()).hasValue(2000);
        assertThat(rig.miner.model().powerTargetWatts()).isEqualTo(2000);
    }

    @Test
    void powerTarget_thatTheMinerDoesNotKeep_isReadbackMismatch() throws Exception {
        rig.miner.faults().setIgnorePowerTarget(true);
        BraiinsDriver driver = rig.driver("web");

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 2500);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("readback-mismatch");
        assertThat(outcome.readBack()).hasValue(3137);
        assertThat(outcome.message()).contains("2500", "3137 W");
    }

    @Test
    void sleepAndWake_pauseAndResume_readBackFromTheMinersStatus() throws Exception {
        rig.advance(Duration.ofMinutes(1));
        BraiinsDriver driver = rig.driver("web");

        CommandOutcome sleep = driver.execute(Verb.VERB_SLEEP, 0);

        assertThat(sleep.status()).as(sleep.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(sleep.readBack()).hasValue(Mode.SLEEP.code());
        assertThat(rig.miner.mode()).isEqualTo(Mode.SLEEP);
        rig.advance(Duration.ofMinutes(1));
        PollResult asleep = driver.poll();
        assertThat(asleep.health()).as(asleep.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(asleep, "mode", "")).isEqualTo(Mode.SLEEP.code());
        assertThat(value(asleep, "power", "")).isCloseTo(SimulatedBraiins.S19_XP.sleepWatts(), within(1.0));

        CommandOutcome wake = driver.execute(Verb.VERB_WAKE, 0);

        assertThat(wake.status()).as(wake.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(wake.readBack()).hasValue(Mode.NORMAL.code());
        assertThat(rig.miner.mode()).isEqualTo(Mode.NORMAL);
    }

    @Test
    void locate_isSetAndReadBack() throws Exception {
        BraiinsDriver driver = rig.driver("web");

        assertThat(driver.execute(Verb.VERB_LOCATE_ON, 0).status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(rig.miner.locating()).isTrue();
        assertThat(driver.execute(Verb.VERB_LOCATE_OFF, 0).status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(rig.miner.locating()).isFalse();
    }

    @Test
    void unsupportedVerbs_areRejectedUnsupported_withoutASingleRequest() throws Exception {
        BraiinsDriver driver = rig.driver("web");

        for (Verb verb : Set.of(Verb.VERB_SET_POWER_CAP, Verb.VERB_OUTLET_ON, Verb.VERB_WRITE_POINT)) {
            CommandOutcome outcome = driver.execute(verb, 1000);
            assertThat(outcome.status()).as(verb.name()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
            assertThat(outcome.reason()).isEqualTo("unsupported");
        }
        assertThat(rig.miner.requests()).isZero();
    }

    @Test
    void serverError_isOfflineHttp500_afterOneRead() throws Exception {
        rig.miner.faults().setServerError(true);
        BraiinsDriver driver = rig.driver("web");

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("http-500");
        assertThat(rig.miner.requests()).isEqualTo(2); // the login, then the first read
    }

    @Test
    void garbageAndOversizeBodies_areOffline_andCounted() throws Exception {
        rig.miner.faults().setGarbage(true);
        PollResult garbage = rig.driver("web").poll();
        rig.miner.faults().clear();
        rig.miner.faults().setOversize(true);
        PollResult oversize = rig.driver("web").poll();

        assertThat(garbage.health()).isNotEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(garbage.reason()).isEqualTo("garbage");
        assertThat(garbage.message()).contains("device bos-1", "not JSON");
        assertThat(oversize.reason()).isEqualTo("oversize");
        assertThat(rig.meters
                        .get("headroom.driver.braiins.replies.rejected")
                        .tag("reason", "garbage")
                        .counter()
                        .count())
                .isPositive();
        assertThat(rig.meters
                        .get("headroom.driver.braiins.replies.rejected")
                        .tag("reason", "oversize")
                        .counter()
                        .count())
                .isPositive();
    }

    @Test
    void wrongTypes_areDegradedBadResponse_namingTheField_andCounted() throws Exception {
        rig.miner.faults().setWrongTypes(true);

        PollResult result = rig.driver("web").poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("bad-response");
        assertThat(result.message()).contains("miner/stats: power_stats is array, not an object", "and 19 more");
        assertThat(result.readings()).isEmpty();
        assertThat(rig.meters
                        .get("headroom.driver.braiins.replies.rejected")
                        .tag("reason", "bad-response")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aMissingEndpoint_isDegraded_andKeepsTheOthersReadings() throws Exception {
        rig.miner.faults().setMissing(Set.of("/api/v1/cooling/state"));

        PollResult result = rig.driver("web").poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("http-404");
        assertThat(reading(result, "fan.speed", "fan1")).isEmpty();
        assertThat(reading(result, "power", "")).isPresent();
    }
}
