package io.headroom.agent.driver.redfish;

import static io.headroom.agent.driver.redfish.RedfishTestEquipment.T0;
import static io.headroom.agent.driver.redfish.RedfishTestEquipment.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.redfish.SimulatedRedfishCdu;
import io.headroom.simulator.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The redfish driver with profile dmtf/redfish-cdu against the simulated CDU over real HTTPS on
 * loopback: one server (and certificate) for the class, its faults cleared after each test.
 */
@Timeout(60)
class RedfishCduSimulatorIT {

    private static final String PROFILE = "dmtf/redfish-cdu";

    @TempDir
    static Path dir;

    private static final ManualClock clock = new ManualClock(T0);
    private static final SimulatedRedfishCdu cdu = new SimulatedRedfishCdu(40, 25, T0);
    private static RedfishTestEquipment equipment;

    @BeforeAll
    static void start() throws Exception {
        equipment = new RedfishTestEquipment(cdu, clock, dir);
    }

    @AfterAll
    static void stop() {
        equipment.close();
    }

    @AfterEach
    void reset() {
        equipment.closeDrivers();
        SimulatedRedfishCdu.DETECTORS.forEach(d -> cdu.setLeak(d, false));
        cdu.setPumpFailed(1, false);
        cdu.setPumpFailed(2, false);
        cdu.setHeatLoadKw(40);
        clock.advance(Duration.ofMinutes(30));
    }

    @Test
    void poll_readsTheLoops_thePumps_andTheLeakDetectors() throws Exception {
        PollResult result = equipment.driver(PROFILE).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(result, "temperature.inlet", "secondary-1").getAsDouble())
                .isCloseTo(cdu.secondarySupplyC(), within(0.006));
        assertThat(value(result, "temperature.outlet", "secondary-1").getAsDouble())
                .isCloseTo(cdu.secondaryReturnC(), within(0.006));
        assertThat(value(result, "coolant.flow", "secondary-1").getAsDouble())
                .isCloseTo(cdu.secondaryFlowLpm(), within(0.006));
        assertThat(value(result, "temperature.inlet", "primary-1")).hasValue(25);
        assertThat(value(result, "pump.speed", "pump1")).hasValue(40 + 60 * 0.4);
        assertThat(value(result, "leak.state", "moisture")).hasValue(0);
        assertThat(value(result, "leak.state", "overflow")).hasValue(0);
        assertThat(result.identity().model()).isEqualTo("Headroom Simulated Redfish CDU");
    }

    @Test
    void injectedLeak_isAReading_andMakesTheDeviceDegradedWithItsReason() throws Exception {
        Driver driver = equipment.driver(PROFILE);
        cdu.setLeak("Overflow", true);

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("leak-detected");
        assertThat(result.message()).contains("Overflow", "DetectorState is Critical");
        assertThat(value(result, "leak.state", "overflow")).hasValue(2);
        assertThat(value(result, "leak.state", "moisture")).hasValue(0);
        assertThat(value(result, "temperature.outlet", "secondary-1")).isPresent();
    }

    @Test
    void failedPump_isDegradedPumpFailed_aLeakComesFirst() throws Exception {
        Driver driver = equipment.driver(PROFILE);
        cdu.setPumpFailed(2, true);

        PollResult pump = driver.poll();
        cdu.setLeak("Moisture", true);
        PollResult both = driver.poll();

        assertThat(pump.reason()).isEqualTo("pump-failed");
        assertThat(value(pump, "pump.speed", "pump2")).hasValue(0);
        assertThat(both.reason()).isEqualTo("leak-detected");
        assertThat(both.message()).contains("Moisture", "Pumps 2");
    }

    @Test
    void returnTemperature_followsTheHeatLoad() throws Exception {
        Driver driver = equipment.driver(PROFILE);
        double before =
                value(driver.poll(), "temperature.outlet", "secondary-1").getAsDouble();

        cdu.setHeatLoadKw(90);
        clock.advance(Duration.ofMinutes(10));
        double after = value(driver.poll(), "temperature.outlet", "secondary-1").getAsDouble();

        assertThat(after).isGreaterThan(before + 1);
        assertThat(after).isCloseTo(cdu.secondaryReturnC(), within(0.006));
    }

    @Test
    void cduIsReadOnly_everyVerbIsRejected() throws Exception {
        Driver driver = equipment.driver(PROFILE);

        CommandOutcome outlet = driver.execute(Verb.VERB_OUTLET_OFF, 0, "1");
        CommandOutcome cap = driver.execute(Verb.VERB_SET_POWER_CAP, 1000);

        assertThat(outlet.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(outlet.reason()).isEqualTo("unsupported");
        assertThat(cap.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(equipment.server.posts() + equipment.server.patches()).isZero();
    }

    @Test
    void wrongPasswordAndGarbage_areOfflineWithTheirReason() throws Exception {
        PollResult refused = equipment
                .driver(PROFILE, equipment.settings(equipment.wrongPasswordFile))
                .poll();
        equipment.server.setGarbage(true);
        PollResult garbage = equipment.driver(PROFILE).poll();

        assertThat(refused.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(refused.reason()).isEqualTo("auth-failed");
        assertThat(garbage.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(garbage.reason()).isEqualTo("garbage");
    }

    @Test
    void profileAuto_identifiesTheCdu_notAPduOrAServer() throws Exception {
        Driver driver = equipment.driver("auto");

        assertThat(driver.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(driver.toString()).contains(PROFILE);
    }
}
