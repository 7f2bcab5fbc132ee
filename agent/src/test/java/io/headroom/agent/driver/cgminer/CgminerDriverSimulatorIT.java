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
import io.headroom.simulator.miner.MinerSnapshot;
import io.headroom.simulator.site.SimulatedMiner;
import io.headroom.simulator.site.SimulatedSite;
import io.headroom.simulator.site.SiteSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CGMiner driver with the luxor/luxos profile against the project's simulated LuxOS miner
 * (an Antminer S19 XP model) over loopback TCP: readings match the model, sleep and wake are
 * confirmed by read-back, and each fault switch gives the documented health.
 */
@Timeout(60)
class CgminerDriverSimulatorIT {

    private static final String LUXOS = "luxor/luxos";

    private SimulatedSite site;
    private SimulatedMiner miner;
    private Driver driver;

    @BeforeEach
    void start() throws Exception {
        site = SimulatedSite.start(SiteSpec.of(1, 7L), Clock.systemUTC());
        miner = site.miner(0);
        DeviceConfig device = TestDevices.cgminer(
                "sim-0",
                LUXOS,
                miner.address().getHostString(),
                miner.port(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(3)); // generous: a loaded 2-core machine must not time out a healthy reply
        driver = TestDevices.create(device, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        driver.close();
        site.close();
    }

    private static OptionalDouble value(PollResult result, String metric, String instance) {
        return result.readings().stream()
                .filter(r -> r.metric().equals(metric) && r.instance().equals(instance))
                .mapToDouble(Reading::value)
                .findFirst();
    }

    @Test
    void poll_simulatedLuxos_readingsMatchTheModel() throws Exception {
        PollResult result = driver.poll();
        MinerSnapshot model = miner.snapshot();

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.identity()).isNotNull();
        assertThat(result.identity().firmware()).startsWith("LUXminer");
        assertThat(value(result, MetricDictionary.POWER, "").orElseThrow())
                .isCloseTo(model.powerWatts(), within(model.powerWatts() * 0.05));
        assertThat(value(result, MetricDictionary.HASHRATE, "").orElseThrow())
                .isCloseTo(model.hashrateThs(), within(model.hashrateThs() * 0.10));
        assertThat(value(result, MetricDictionary.TEMPERATURE_CHIP, "").orElseThrow())
                .isCloseTo((double) model.maxChipTempC(), within(2.0));
        assertThat(value(result, MetricDictionary.MODE, "")).hasValue(Mode.NORMAL.code());
        for (int board = 1; board <= model.boards().size(); board++) {
            assertThat(value(result, MetricDictionary.HASHRATE, "board" + board))
                    .as("board" + board)
                    .isPresent();
        }
        assertThat(result.readings().stream().filter(r -> r.metric().equals(MetricDictionary.FAN_SPEED)))
                .hasSize((int) model.fanRpms().stream().filter(rpm -> rpm > 0).count());
    }

    @Test
    void execute_sleepThenWake_areAppliedByReadBack_andTheModelFollows() throws Exception {
        CommandOutcome sleep = driver.execute(Verb.VERB_SLEEP, 0);

        assertThat(sleep.status()).as(sleep.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(sleep.readBack()).hasValue(Mode.SLEEP.code());
        assertThat(miner.model().mode()).isEqualTo(Mode.SLEEP);
        assertThat(value(driver.poll(), MetricDictionary.MODE, "")).hasValue(Mode.SLEEP.code());

        CommandOutcome wake = driver.execute(Verb.VERB_WAKE, 0);

        assertThat(wake.status()).as(wake.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(wake.readBack()).hasValue(Mode.NORMAL.code());
    }

    @Test
    void execute_whileAnotherSessionIsOpen_isSessionBusy() throws Exception {
        try (CgminerClient other =
                new CgminerClient(miner.address().getHostString(), miner.port(), Duration.ofSeconds(1))) {
            other.request("logon");

            CommandOutcome outcome = driver.execute(Verb.VERB_SLEEP, 0);

            assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
            assertThat(outcome.reason()).isEqualTo("session-busy");
            assertThat(miner.model().mode()).isEqualTo(Mode.NORMAL);
        }
    }

    @Test
    void poll_hangFault_isOfflineTimeout_thenRecovers() throws Exception {
        miner.faults().setHang(true);
        PollResult hung = driver.poll();
        miner.faults().setHang(false);
        PollResult recovered = driver.poll();

        assertThat(hung.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(hung.reason()).isEqualTo("timeout");
        assertThat(recovered.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
    }

    @Test
    void poll_refuseFault_isOfflineConnectionRefused() throws Exception {
        miner.faults().setRefuse(true);
        PollResult result = driver.poll();
        miner.faults().setRefuse(false);

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("connection-refused");
    }

    @Test
    void poll_garbageFault_isOfflineBadResponse() throws Exception {
        miner.faults().setGarbage(true);
        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("bad-response");
    }

    @Test
    void poll_quirksFault_givesTheSameMetricsAsCleanReplies() throws Exception {
        PollResult clean = driver.poll();
        miner.faults().setQuirks(true);
        PollResult quirky = driver.poll();

        assertThat(quirky.health()).as(quirky.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(quirky.readings())
                .extracting(r -> MetricDictionary.displayKey(r.metric(), r.instance()))
                .containsExactlyInAnyOrderElementsOf(clean.readings().stream()
                        .map(r -> MetricDictionary.displayKey(r.metric(), r.instance()))
                        .toList());
    }
}
