package io.headroom.agent.driver.whatsminer;

import static io.headroom.agent.driver.whatsminer.WhatsminerV2DriverTest.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.PollResult;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.miner.MinerSnapshot;
import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The driver on API v3 against the simulated Whatsminer over real loopback sockets. */
@Timeout(30)
class WhatsminerV3DriverTest {

    private static final String PROFILE = "microbt/whatsminer-v3";

    private WhatsminerRig rig;

    @BeforeEach
    void start() throws Exception {
        rig = new WhatsminerRig();
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void poll_readsWhatTheModelHas() throws Exception {
        PollResult result = rig.driver(PROFILE, "v3").poll();

        MinerSnapshot s = rig.miner.model().snapshot();
        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(result, "power", "")).isEqualTo((double) Math.round(s.powerWatts()));
        assertThat(value(result, "power.target", "")).isEqualTo(3300.0);
        assertThat(value(result, "hashrate", "")).isCloseTo(s.hashrateThs(), within(0.001));
        assertThat(value(result, "hashrate", "board2"))
                .isCloseTo(s.boards().get(2).hashrateThs(), within(0.001));
        assertThat(value(result, "temperature.chip", "board0"))
                .isEqualTo((double) s.chipTempsC().get(0));
        assertThat(value(result, "temperature.board", "board1"))
                .isEqualTo((double) s.boardTempsC().get(1));
        assertThat(value(result, "fan.speed", "fan-in"))
                .isEqualTo((double) s.fanRpms().get(0));
        assertThat(value(result, "mode", "")).isEqualTo((double) Mode.NORMAL.code());
        assertThat(result.identity().firmware()).isEqualTo("20251209.16.Rel2");
    }

    @Test
    void sleepThenWake_changeTheModelsPower_andAreReadBack() throws Exception {
        WhatsminerDriver driver = rig.driver(PROFILE, "v3");

        CommandOutcome sleep = driver.execute(Verb.VERB_SLEEP, 0);
        rig.advance(Duration.ofSeconds(60));
        double asleep = rig.miner.model().snapshot().powerWatts();
        CommandOutcome wake = driver.execute(Verb.VERB_WAKE, 0);
        rig.advance(Duration.ofMinutes(3));

        assertThat(sleep.status()).as(sleep.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(sleep.readBack()).isEqualTo(OptionalDouble.of(Mode.SLEEP.code()));
        assertThat(asleep).isLessThan(100);
        assertThat(wake.status()).as(wake.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(rig.miner.model().snapshot().powerWatts()).isCloseTo(3300, within(3300 * 0.03));
    }

    @Test
    void setPowerTarget_setsThePowerLimit_withoutAReboot_andThePowerFollows() throws Exception {
        CommandOutcome outcome = rig.driver(PROFILE, "v3").execute(Verb.VERB_SET_POWER_TARGET, 2500);
        rig.advance(Duration.ofMinutes(1));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).isEqualTo(OptionalDouble.of(2500));
        assertThat(rig.miner.reboots()).isZero();
        assertThat(rig.miner.model().snapshot().powerWatts()).isCloseTo(2500, within(2500 * 0.03));
    }

    @Test
    void rebootAndLocate_apply() throws Exception {
        WhatsminerDriver driver = rig.driver(PROFILE, "v3");

        CommandOutcome reboot = driver.execute(Verb.VERB_REBOOT, 0);
        CommandOutcome on = driver.execute(Verb.VERB_LOCATE_ON, 0);
        String lit = rig.miner.led();
        CommandOutcome off = driver.execute(Verb.VERB_LOCATE_OFF, 0);

        assertThat(reboot.status()).as(reboot.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(rig.miner.reboots()).isEqualTo(1);
        assertThat(on.status()).as(on.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(lit).isEqualTo("manual");
        assertThat(off.status()).as(off.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(rig.miner.led()).isEqualTo("auto");
    }

    @Test
    void theSalt_isReadOnce_andReadAgainWhenTheMinerChangedIt() throws Exception {
        WhatsminerDriver driver = rig.driver(PROFILE, "v3");
        driver.execute(Verb.VERB_LOCATE_ON, 0);
        driver.execute(Verb.VERB_LOCATE_OFF, 0);
        int before = driver.saltsRead();
        rig.miner.v3().rotateSalt();

        CommandOutcome outcome = driver.execute(Verb.VERB_SLEEP, 0);

        assertThat(before).isEqualTo(1);
        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(driver.saltsRead()).isEqualTo(2);
    }

    @Test
    void aWrongPassword_failsAuthFailed_afterOneFreshSalt() throws Exception {
        WhatsminerDriver driver = rig.driver(PROFILE, "wrong");
        driver.execute(Verb.VERB_LOCATE_ON, 0);

        CommandOutcome outcome = driver.execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("auth-failed");
        assertThat(outcome.message()).contains("invalid token");
        assertThat(driver.saltsRead()).isEqualTo(2);
        assertThat(rig.miner.model().mode()).isEqualTo(Mode.NORMAL);
    }

    @Test
    void autoProfile_identifiesV3First_thenV2() throws Exception {
        var device = WhatsminerRig.device("auto", rig.settings(WhatsminerApi.AUTO), "v3");
        var driver = rig.track(io.headroom.agent.TestDevices.DRIVERS.create(
                device, io.headroom.agent.TestDevices.PROFILES, rig.context()));

        PollResult result = driver.poll();

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.identity().firmware()).isEqualTo("20251209.16.Rel2");
    }

    @Test
    void autoProfile_withApiV2_identifiesTheV2Profile() throws Exception {
        var device = WhatsminerRig.device("auto", rig.settings(WhatsminerApi.V2), "v2");
        var driver = rig.track(io.headroom.agent.TestDevices.DRIVERS.create(
                device, io.headroom.agent.TestDevices.PROFILES, rig.context()));

        PollResult result = driver.poll();

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.identity().firmware()).isEqualTo("20230803.11.REL");
    }
}
