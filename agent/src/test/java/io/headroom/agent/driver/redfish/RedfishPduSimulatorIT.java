package io.headroom.agent.driver.redfish;

import static io.headroom.agent.driver.redfish.RedfishTestEquipment.T0;
import static io.headroom.agent.driver.redfish.RedfishTestEquipment.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.redfish.SimulatedRedfishPdu;
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
 * The redfish driver with profile dmtf/redfish-rack-pdu against the simulated Redfish PDU over real
 * HTTPS on loopback: one server (and certificate) for the class, its outlets switched back on after
 * each test.
 */
@Timeout(60)
class RedfishPduSimulatorIT {

    private static final String PROFILE = "dmtf/redfish-rack-pdu";
    private static final Duration SETTLE = Duration.ofSeconds(2);

    @TempDir
    static Path dir;

    private static final ManualClock clock = new ManualClock(T0);
    private static final SimulatedRedfishPdu pdu = SimulatedRedfishPdu.eightOutlets(450, SETTLE, T0);
    private static RedfishTestEquipment equipment;

    @BeforeAll
    static void start() throws Exception {
        equipment = new RedfishTestEquipment(pdu, clock, dir);
    }

    @AfterAll
    static void stop() {
        equipment.close();
    }

    @AfterEach
    void reset() {
        equipment.closeDrivers();
        pdu.setActionsIgnored(false);
        for (String outlet : pdu.outletIds()) {
            pdu.write(
                    "POST",
                    "/redfish/v1/PowerEquipment/RackPDUs/1/Outlets/" + outlet + "/Outlet.PowerControl",
                    JsonNodeFactory.instance.objectNode().put("PowerState", "On"));
            pdu.setLoad(outlet, 450);
            pdu.setSwitched(outlet, true);
        }
        clock.advance(SETTLE);
    }

    @Test
    void poll_readsEveryOutlet_theBranches_theMains_andTheIdentity() throws Exception {
        pdu.setLoad("B3", 1150);
        PollResult result = equipment.driver(PROFILE).poll();

        assertThat(result.health())
                .as(result.reason() + ": " + result.message())
                .isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(result, "power", "")).hasValue(7 * 450 + 1150);
        assertThat(value(result, "power", "b3")).hasValue(1150);
        assertThat(value(result, "current", "b3").getAsDouble()).isCloseTo(1150 / 230.0, within(0.006));
        assertThat(value(result, "voltage", "a1")).hasValue(230);
        assertThat(value(result, "outlet.state", "a4")).hasValue(1);
        assertThat(value(result, "power", "branch-a")).hasValue(4 * 450);
        assertThat(value(result, "power", "phase1-ac1")).hasValue(7 * 450 + 1150);
        assertThat(value(result, "frequency", "phase1-ac1")).hasValue(50);
        assertThat(value(result, "current", "phase3-ac1")).isEmpty(); // single-phase: no line 3
        assertThat(result.identity().model()).isEqualTo("Headroom Simulated Redfish PDU");
    }

    @Test
    void outletOff_thenOn_isAppliedWhenThePowerStateShowsIt_andTheOutletsPowerFollows() throws Exception {
        Driver driver = equipment.driver(PROFILE);

        CommandOutcome off = driver.execute(Verb.VERB_OUTLET_OFF, 0, "a2");
        boolean offInTheModel = !pdu.isOn("A2");
        clock.advance(SETTLE);
        PollResult dark = driver.poll();
        CommandOutcome on = driver.execute(Verb.VERB_OUTLET_ON, 0, "a2");
        clock.advance(SETTLE);
        PollResult lit = driver.poll();

        assertThat(off.status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(off.readBack()).hasValue(0);
        assertThat(off.message()).contains("Outlets/A2", "PowerState shows Off");
        assertThat(offInTheModel).isTrue();
        assertThat(value(dark, "outlet.state", "a2")).hasValue(0);
        assertThat(value(dark, "power", "a2")).hasValue(0);
        assertThat(value(dark, "power", "")).hasValue(7 * 450);
        assertThat(on.status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(on.readBack()).hasValue(1);
        assertThat(value(lit, "power", "a2")).hasValue(450);
    }

    @Test
    void outletCycle_endsOn_andItsLoadRestartsAfterTheDelay() throws Exception {
        Driver driver = equipment.driver(PROFILE);

        CommandOutcome cycle = driver.execute(Verb.VERB_OUTLET_CYCLE, 0, "b1");
        double during = value(driver.poll(), "power", "b1").getAsDouble();
        clock.advance(SETTLE);

        assertThat(cycle.status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(during).isZero();
        assertThat(value(driver.poll(), "power", "b1")).hasValue(450);
    }

    @Test
    void unknownOutlet_isRejectedNamingIt_andTheOutletsThePduHas_withoutAnAction() throws Exception {
        int posts = equipment.server.posts();

        CommandOutcome outcome = equipment.driver(PROFILE).execute(Verb.VERB_OUTLET_OFF, 0, "c7");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(outcome.reason()).isEqualTo("unknown-instance");
        assertThat(outcome.message()).contains("'c7'", "A1, A2", "B4");
        assertThat(equipment.server.posts()).isEqualTo(posts);
    }

    @Test
    void aPduThatAnswersTheActionButDoesNotSwitch_isReadBackAsFailed() throws Exception {
        pdu.setActionsIgnored(true); // what DMTF's mockup server does

        CommandOutcome outcome = equipment.driver(PROFILE).execute(Verb.VERB_OUTLET_OFF, 0, "a3");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("readback-mismatch");
        assertThat(outcome.message()).contains("expected PowerState Off", "shows \"On\"");
        assertThat(outcome.readBack()).hasValue(1);
        assertThat(pdu.isOn("A3")).isTrue();
    }

    @Test
    void anUnswitchedOutlet_isRejectedUnsupported_withoutAnAction() throws Exception {
        pdu.setSwitched("A4", false);
        int posts = equipment.server.posts();

        CommandOutcome outcome = equipment.driver(PROFILE).execute(Verb.VERB_OUTLET_OFF, 0, "a4");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(outcome.reason()).isEqualTo("unsupported");
        assertThat(outcome.message()).contains("Outlets/A4", "#Outlet.PowerControl");
        assertThat(equipment.server.posts()).isEqualTo(posts);
    }

    @Test
    void setPowerCap_isNotAPduVerb() throws Exception {
        CommandOutcome outcome = equipment.driver(PROFILE).execute(Verb.VERB_SET_POWER_CAP, 1000);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(outcome.reason()).isEqualTo("unsupported");
    }

    @Test
    void wrongPassword_isOfflineAuthFailed_andACommandFails_nothingThrows() throws Exception {
        Driver driver = equipment.driver(PROFILE, equipment.settings(equipment.wrongPasswordFile));

        PollResult result = driver.poll();
        CommandOutcome outcome = driver.execute(Verb.VERB_OUTLET_OFF, 0, "a1");

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("auth-failed");
        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("auth-failed");
        assertThat(pdu.isOn("A1")).isTrue();
    }

    @Test
    void garbageAndOversizeAnswers_areOfflineWithTheirReason_andACommandFails() throws Exception {
        Driver driver = equipment.driver(PROFILE);

        equipment.server.setGarbage(true);
        PollResult garbage = driver.poll();
        CommandOutcome command = driver.execute(Verb.VERB_OUTLET_OFF, 0, "a1");
        equipment.server.setGarbage(false);
        equipment.server.setOversize(true);
        PollResult oversize = driver.poll();

        assertThat(garbage.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(garbage.reason()).isEqualTo("garbage");
        assertThat(command.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(command.reason()).isEqualTo("garbage");
        assertThat(oversize.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(oversize.reason()).isEqualTo("oversize");
        assertThat(pdu.isOn("A1")).isTrue();
    }

    @Test
    void profileAuto_identifiesTheRackPdu() throws Exception {
        Driver driver = equipment.driver("auto");

        assertThat(driver.poll().health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(driver.toString()).contains(PROFILE);
    }
}
