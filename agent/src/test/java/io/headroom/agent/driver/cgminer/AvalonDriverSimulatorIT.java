package io.headroom.agent.driver.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.cgminer.AvalonRpc;
import io.headroom.simulator.cgminer.CgminerRpcServer;
import io.headroom.simulator.cgminer.Faults;
import io.headroom.simulator.cgminer.RpcListener;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSnapshot;
import io.headroom.simulator.time.ManualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CGMiner driver with the canaan/avalon-a15 profile against the simulated Avalon A15 over loopback TCP:
 * from {@code execute} to the model's changed state, each outcome carrying the device's read-back. The driver
 * and the simulator share one stepped clock, so the softoff/softon timestamps the driver sends are the
 * simulator's now.
 */
@Timeout(60)
class AvalonDriverSimulatorIT {

    private static final String PROFILE = "canaan/avalon-a15";
    private static final Instant T0 = Instant.parse("2025-07-25T08:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final MinerModel model = new MinerModel(AvalonRpc.A1566, 11, 30.0, T0);
    private CgminerRpcServer server;
    private AvalonRpc rpc;
    private Faults faults;
    private Driver driver;

    private void start(AvalonRpc.Options options) throws Exception {
        server = CgminerRpcServer.start("avalon-driver-it");
        rpc = new AvalonRpc(model, MinerIdentity.generate(11, 0), clock, options);
        faults = new Faults();
        RpcListener listener = server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), rpc, faults);
        DeviceConfig device = TestDevices.cgminer(
                "avalon-0",
                PROFILE,
                listener.address().getHostString(),
                listener.port(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(2));
        driver = TestDevices.create(device, clock);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static OptionalDouble value(PollResult result, String metric, String instance) {
        return result.readings().stream()
                .filter(r -> r.metric().equals(metric) && r.instance().equals(instance))
                .mapToDouble(Reading::value)
                .findFirst();
    }

    @Test
    void poll_readingsMatchTheModel() throws Exception {
        start(AvalonRpc.Options.defaults());
        clock.advance(Duration.ofSeconds(30));

        PollResult result = driver.poll();
        MinerSnapshot s = model.snapshot();

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.identity().model()).isEqualTo("AvalonMiner 15-194");
        assertThat(value(result, MetricDictionary.POWER, "").orElseThrow()).isCloseTo(s.powerWatts(), within(1.0));
        assertThat(value(result, MetricDictionary.POWER_TARGET, "")).hasValue(3515.0);
        assertThat(value(result, MetricDictionary.HASHRATE, "").orElseThrow()).isCloseTo(s.hashrateThs(), within(0.01));
        assertThat(value(result, MetricDictionary.TEMPERATURE_CHIP, "")).hasValue((double) s.maxChipTempC());
        assertThat(value(result, MetricDictionary.TEMPERATURE_INLET, "")).hasValue(30.0);
        assertThat(value(result, MetricDictionary.MODE, "")).hasValue(Mode.NORMAL.code());
        assertThat(value(result, MetricDictionary.HASHRATE, "board3")).isPresent();
        assertThat(value(result, MetricDictionary.FAN_SPEED, "fan2"))
                .hasValue((double) s.fanRpms().get(1));
    }

    @Test
    void sleepThenWake_areAppliedByReadBackOfSoftOff_andTheModelFollows() throws Exception {
        start(AvalonRpc.Options.defaults());

        CommandOutcome sleep = driver.execute(Verb.VERB_SLEEP, 0, "");

        assertThat(sleep.status()).as(sleep.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(sleep.readBack()).hasValue(Mode.SLEEP.code());
        assertThat(model.mode()).isEqualTo(Mode.SLEEP);
        clock.advance(Duration.ofSeconds(30));
        PollResult asleep = driver.poll();
        assertThat(value(asleep, MetricDictionary.MODE, "")).hasValue(Mode.SLEEP.code());
        assertThat(value(asleep, MetricDictionary.POWER, "").orElseThrow()).isLessThan(200);

        CommandOutcome wake = driver.execute(Verb.VERB_WAKE, 0, "");

        assertThat(wake.status()).as(wake.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(wake.readBack()).hasValue(Mode.NORMAL.code());
        assertThat(model.mode()).isEqualTo(Mode.NORMAL);
    }

    @Test
    void wake_whenSoftOnClosesWithoutAReply_isStillJudgedByItsReadBack() throws Exception {
        start(AvalonRpc.Options.defaults().withSilentSoftOn(true));
        model.sleep();

        CommandOutcome wake = driver.execute(Verb.VERB_WAKE, 0, "");

        assertThat(wake.status()).as(wake.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(model.mode()).isEqualTo(Mode.NORMAL);
    }

    @Test
    void setPowerTarget_picksTheHighestLevelAtOrBelowTheValue_andMpoConfirmsIt() throws Exception {
        start(AvalonRpc.Options.defaults());

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 3300, "");

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(3160.0);
        assertThat(outcome.message()).contains("preset 1 = 3160 W for 3300 W");
        assertThat(rpc.workLevel()).isEqualTo(1);
        assertThat(model.powerTargetWatts()).isEqualTo(3160.0);
        clock.advance(Duration.ofMinutes(2));
        assertThat(value(driver.poll(), MetricDictionary.POWER, "").orElseThrow())
                .isCloseTo(3160.0, within(3160.0 * 0.02));

        CommandOutcome exact = driver.execute(Verb.VERB_SET_POWER_TARGET, 2810, "");
        assertThat(exact.readBack()).hasValue(2810.0);
        CommandOutcome above = driver.execute(Verb.VERB_SET_POWER_TARGET, 3800, "");
        assertThat(above.readBack()).hasValue(3515.0);
        assertThat(rpc.workLevel()).isEqualTo(2);
    }

    @Test
    void setPowerTarget_belowTheLowestLevel_isRefusedNamingTheLevels_andNothingIsSent() throws Exception {
        start(AvalonRpc.Options.defaults());
        long before = server.requestsServed();

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 2000, "");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(outcome.reason()).isEqualTo("below-lowest-preset");
        assertThat(outcome.message())
                .contains("2000 W is below the lowest preset of canaan/avalon-a15")
                .contains("0 = 2810 W, 1 = 3160 W, 2 = 3515 W");
        assertThat(server.requestsServed()).isEqualTo(before);
        assertThat(model.powerTargetWatts()).isEqualTo(3515.0);
    }

    @Test
    void locateOnAndOff_areConfirmedByLed() throws Exception {
        start(AvalonRpc.Options.defaults());

        CommandOutcome on = driver.execute(Verb.VERB_LOCATE_ON, 0, "");
        assertThat(on.status()).as(on.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(on.readBack()).hasValue(1.0);
        assertThat(rpc.led()).isTrue();

        CommandOutcome off = driver.execute(Verb.VERB_LOCATE_OFF, 0, "");
        assertThat(off.status()).as(off.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(off.readBack()).hasValue(0.0);
        assertThat(rpc.led()).isFalse();
    }

    @Test
    void reboot_isAcceptedOnRestart_thenTheUnitIsGoneUntilItsRebootPeriodEnds() throws Exception {
        start(AvalonRpc.Options.defaults().withRebootPeriod(Duration.ofSeconds(90)));

        CommandOutcome reboot = driver.execute(Verb.VERB_REBOOT, 0, "");

        assertThat(reboot.status()).as(reboot.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(rpc.rebooting()).isTrue();
        PollResult gone = driver.poll();
        assertThat(gone.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(gone.reason()).isEqualTo("bad-response");

        clock.advance(Duration.ofSeconds(90));
        assertThat(driver.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
    }

    @Test
    void commandWhileRestarting_failsWithTheDevicesSilence_notAnException() throws Exception {
        start(AvalonRpc.Options.defaults());
        driver.execute(Verb.VERB_REBOOT, 0, "");

        CommandOutcome sleep = driver.execute(Verb.VERB_SLEEP, 0, "");

        assertThat(sleep.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(sleep.reason()).isEqualTo("bad-response");
        assertThat(sleep.message()).contains("empty reply");
    }

    @Test
    void infAndNanStrings_areMissingValues_notNumbers() throws Exception {
        start(AvalonRpc.Options.defaults().withNonFiniteValues(true));

        PollResult result = driver.poll();

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(result, MetricDictionary.TEMPERATURE_INLET, "")).isEmpty();
        assertThat(value(result, MetricDictionary.POWER, "")).isPresent();
        assertThat(result.readings())
                .allSatisfy(r -> assertThat(Double.isFinite(r.value())).isTrue());
    }

    @Test
    void garbageFault_isBadResponse_andCommandsFailWithoutThrowing() throws Exception {
        start(AvalonRpc.Options.defaults());
        faults.setGarbage(true);

        assertThat(driver.poll().reason()).isEqualTo("bad-response");
        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 3000, "");
        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("bad-response");
    }
}
