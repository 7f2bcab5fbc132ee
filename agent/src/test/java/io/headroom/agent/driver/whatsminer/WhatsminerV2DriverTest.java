package io.headroom.agent.driver.whatsminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.miner.MinerSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The driver on API v2 against the simulated Whatsminer over real loopback sockets. */
@Timeout(30)
class WhatsminerV2DriverTest {

    private static final String PROFILE = "microbt/whatsminer-v2";

    private WhatsminerRig rig;

    @BeforeEach
    void start() throws Exception {
        rig = new WhatsminerRig();
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    static double value(PollResult result, String metric, String instance) {
        return result.readings().stream()
                .filter(r -> r.metric().equals(metric) && r.instance().equals(instance))
                .mapToDouble(Reading::value)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no reading " + metric + "[" + instance + "] in " + result));
    }

    @Test
    void poll_readsWhatTheModelHas() throws Exception {
        WhatsminerDriver driver = rig.driver(PROFILE, "v2");

        PollResult result = driver.poll();

        MinerSnapshot s = rig.miner.model().snapshot();
        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(result, "power", "")).isEqualTo((double) Math.round(s.powerWatts()));
        assertThat(value(result, "power.target", "")).isEqualTo(3300.0);
        assertThat(value(result, "hashrate", "")).isCloseTo(s.averages().oneMinuteThs(), within(0.01));
        assertThat(value(result, "hashrate", "board1"))
                .isCloseTo(s.boards().get(1).hashrateThs(), within(0.01));
        assertThat(value(result, "temperature.chip", "")).isEqualTo((double) s.maxChipTempC());
        assertThat(value(result, "temperature.chip", "board2"))
                .isEqualTo((double) s.chipTempsC().get(2));
        assertThat(value(result, "temperature.board", "board0"))
                .isEqualTo((double) s.boardTempsC().get(0));
        assertThat(value(result, "temperature.inlet", "")).isEqualTo(s.inletTempC());
        assertThat(value(result, "fan.speed", "fan-in"))
                .isEqualTo((double) s.fanRpms().get(0));
        assertThat(value(result, "fan.speed", "fan-out"))
                .isEqualTo((double) s.fanRpms().get(1));
        assertThat(value(result, "mode", "")).isEqualTo((double) Mode.NORMAL.code());
        assertThat(result.identity()).isNotNull();
        assertThat(result.identity().firmware()).isEqualTo("20230803.11.REL");
    }

    @Test
    void poll_errorCodes_areDegradedWithTheCodes() throws Exception {
        rig.miner.setErrorCodes(List.<String[]>of(new String[] {"218", "2026-03-18 21:00:00"}));

        PollResult result = rig.driver(PROFILE, "v2").poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("device-error-codes");
        assertThat(result.message()).contains("218 (2026-03-18 21:00:00)");
        assertThat(result.readings()).isNotEmpty();
    }

    @Test
    void poll_temp0Quirk_isRepaired() throws Exception {
        rig.miner.faults().setQuirks(true);

        PollResult result = rig.driver(PROFILE, "v2").poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(result, "power.target", "")).isEqualTo(3300.0);
    }

    @Test
    void sleepThenWake_changeTheModelsPower_andAreReadBack() throws Exception {
        WhatsminerDriver driver = rig.driver(PROFILE, "v2");

        CommandOutcome sleep = driver.execute(Verb.VERB_SLEEP, 0);
        rig.advance(Duration.ofSeconds(60));
        double asleep = rig.miner.model().snapshot().powerWatts();
        CommandOutcome wake = driver.execute(Verb.VERB_WAKE, 0);
        rig.advance(Duration.ofMinutes(3));

        assertThat(sleep.status()).as(sleep.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(sleep.readBack()).isEqualTo(OptionalDouble.of(Mode.SLEEP.code()));
        assertThat(asleep).isLessThan(100);
        assertThat(wake.status()).as(wake.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(wake.readBack()).isEqualTo(OptionalDouble.of(Mode.NORMAL.code()));
        assertThat(rig.miner.model().snapshot().powerWatts()).isCloseTo(3300, within(3300 * 0.03));
    }

    @Test
    void setPowerTarget_adjustPowerLimit_rebootsTheMiner_thenItMinesAtTheNewLimit() throws Exception {
        rig.miner.setRebootTime(Duration.ofSeconds(30));
        WhatsminerDriver driver = rig.driver(PROFILE, "v2");

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 2800);
        rig.advance(Duration.ofSeconds(5));
        MinerSnapshot rebooting = rig.miner.model().snapshot();
        rig.advance(Duration.ofMinutes(3));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).isEqualTo(OptionalDouble.of(2800));
        assertThat(outcome.message()).contains("adjust_power_limit 2800").contains("reboots");
        assertThat(rig.miner.reboots()).isEqualTo(1);
        assertThat(rebooting.hashrateThs()).isZero();
        assertThat(rebooting.powerWatts()).isLessThan(100);
        assertThat(rig.miner.model().snapshot().powerWatts()).isCloseTo(2800, within(2800 * 0.03));
    }

    @Test
    void setPowerTarget_setPowerPct_sendsAPercentOfNominal_withoutAReboot() throws Exception {
        Driver driver = rig.driver(
                PROFILE,
                rig.settings(WhatsminerApi.V2),
                "v2",
                WhatsminerRig.editedV2(
                        "power-method: adjust-power-limit",
                        "power-method: set-power-pct\n  nominal-power-watts: 3300",
                        "range: {min: 1000, max: 3300}",
                        "range: {min: 1000, max: 3260}",
                        "read-back: {metric: power.target, tolerance: 10}",
                        "read-back: {metric: power.target, tolerance: 17}"));

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 2640);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.message()).contains("set_power_pct 80 %");
        assertThat(outcome.readBack()).isEqualTo(OptionalDouble.of(2640));
        assertThat(rig.miner.reboots()).isZero();
        assertThat(rig.miner.model().powerTargetWatts()).isEqualTo(2640);
    }

    @Test
    void reboot_isAcknowledged_andTheModelReboots() throws Exception {
        CommandOutcome outcome = rig.driver(PROFILE, "v2").execute(Verb.VERB_REBOOT, 0);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(rig.miner.reboots()).isEqualTo(1);
    }

    @Test
    void locateOnThenOff_setTheLed_andAreReadBack() throws Exception {
        WhatsminerDriver driver = rig.driver(PROFILE, "v2");

        CommandOutcome on = driver.execute(Verb.VERB_LOCATE_ON, 0);
        String lit = rig.miner.led();
        CommandOutcome off = driver.execute(Verb.VERB_LOCATE_OFF, 0);

        assertThat(on.status()).as(on.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(lit).isEqualTo("manual");
        assertThat(off.status()).as(off.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(rig.miner.led()).isEqualTo("auto");
    }

    @Test
    void aToken_isReusedWithinItsLife() throws Exception {
        WhatsminerDriver driver = rig.driver(PROFILE, "v2");

        driver.execute(Verb.VERB_LOCATE_ON, 0);
        driver.execute(Verb.VERB_LOCATE_OFF, 0);
        driver.execute(Verb.VERB_SLEEP, 0);

        assertThat(driver.tokensTaken()).isEqualTo(1);
        assertThat(rig.miner.v2().tokensIssued()).isEqualTo(1);
    }

    @Test
    void anExpiredToken_isReplacedByANewOne_andTheCommandApplies() throws Exception {
        WhatsminerDriver driver = rig.driver(PROFILE, "v2");
        driver.execute(Verb.VERB_LOCATE_ON, 0);
        rig.advance(Duration.ofMinutes(31)); // the miner's 30-minute token life passes; the driver's clock does not

        CommandOutcome outcome = driver.execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(rig.miner.v2().tokensIssued()).isEqualTo(2);
        assertThat(rig.miner.model().mode()).isEqualTo(Mode.SLEEP);
    }

    @Test
    void aWrongPassword_failsAuthFailed_andChangesNothing() throws Exception {
        CommandOutcome outcome = rig.driver(PROFILE, "wrong").execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("auth-failed");
        assertThat(outcome.message()).contains("code 135").contains("wrong admin password");
        assertThat(rig.miner.model().mode()).isEqualTo(Mode.NORMAL);
    }

    @Test
    void writeApiOff_failsNotPrivileged() throws Exception {
        rig.miner.v2().setWriteApiEnabled(false);

        CommandOutcome outcome = rig.driver(PROFILE, "v2").execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("not-privileged");
        assertThat(outcome.message()).contains("code 45");
    }

    @Test
    void tooManyTokens_backsOff_andDoesNotAskAgainAtOnce() throws Exception {
        rig.miner.v2().setMaxTokens(0);
        WhatsminerDriver driver = rig.driver(PROFILE, "v2");

        CommandOutcome first = driver.execute(Verb.VERB_SLEEP, 0);
        long served = rig.miner.requestsServed();
        CommandOutcome second = driver.execute(Verb.VERB_SLEEP, 0);

        assertThat(first.reason()).isEqualTo("too-many-tokens");
        assertThat(first.message()).contains("code 136").contains("backing off 60 s");
        assertThat(second.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(second.reason()).isEqualTo("too-many-tokens");
        assertThat(second.message()).contains("not asking again");
        assertThat(rig.miner.requestsServed()).isEqualTo(served);
    }

    @Test
    void noCredentials_failsWithoutSending() throws Exception {
        CommandOutcome outcome = rig.driver(PROFILE, null).execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("no-credentials");
        assertThat(rig.miner.requestsServed()).isZero();
    }

    @Test
    void aLimitTheMinerRefuses_failsWithItsWords() throws Exception {
        CommandOutcome outcome = rig.driver(PROFILE, "v2").execute(Verb.VERB_SET_POWER_TARGET, 20);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("device-error");
        assertThat(outcome.message()).contains("code 132").contains("power limit out of range");
        assertThat(rig.miner.reboots()).isZero();
    }

    @Test
    void aV3Setting_withAV2Profile_isOfflineApiMismatch() throws Exception {
        Driver driver =
                rig.driver(PROFILE, rig.settings(WhatsminerApi.V3), "v2", io.headroom.agent.TestDevices.PROFILES);

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("api-mismatch");
        assertThat(rig.miner.requestsServed()).isZero();
    }

    @Test
    void aHungMiner_isOfflineTimeout_andAWriteToItFailsTimeout() throws Exception {
        rig.miner.faults().setHang(true);
        WhatsminerDriver driver = rig.driver(PROFILE, "v2");

        PollResult poll = driver.poll();
        CommandOutcome sleep = driver.execute(Verb.VERB_SLEEP, 0);

        assertThat(poll.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(poll.reason()).isEqualTo("timeout");
        assertThat(poll.message()).contains("summary").contains("1500 ms");
        assertThat(sleep.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(sleep.reason()).isEqualTo("timeout");
        assertThat(rig.miner.model().mode()).isEqualTo(Mode.NORMAL);
    }

    @Test
    void aHungMiner_doesNotHoldUpAnotherMiner() throws Exception {
        rig.miner.faults().setHang(true);
        // A long timeout, so that the other miner's poll is done long before this one could be.
        WhatsminerDriver hung = rig.v2Driver(Duration.ofSeconds(25));
        try (WhatsminerRig other = new WhatsminerRig()) {
            WhatsminerDriver healthy = other.driver(PROFILE, "v2");
            java.util.concurrent.CompletableFuture<PollResult> stuck =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return hung.poll();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> rig.miner.requestsServed() > 0);

            PollResult result = healthy.poll();

            assertThat(stuck).isNotDone();
            assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
            hung.close();
            assertThat(stuck.get(5, java.util.concurrent.TimeUnit.SECONDS).reason())
                    .isEqualTo("closed");
        }
    }
}
