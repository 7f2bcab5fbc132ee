package io.headroom.simulator.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The simulated CDU's heat balance and faults, stepped by hand (no sockets). */
class SimulatedRedfishCduTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final String BASE = SimulatedRedfishCdu.BASE;

    private final SimulatedRedfishCdu cdu = new SimulatedRedfishCdu(40, 25, T0);

    private JsonNode get(String path) {
        return Objects.requireNonNull(cdu.get(BASE + path));
    }

    @Test
    void returnTemperature_followsTheHeatLoad_withItsLag() {
        double before = cdu.secondaryReturnC();
        double flowKgPerS = cdu.secondaryFlowLpm() / 60 * SimulatedRedfishCdu.DENSITY;
        assertThat(before - cdu.secondarySupplyC())
                .isCloseTo(40 / (flowKgPerS * SimulatedRedfishCdu.SPECIFIC_HEAT), within(1e-9));

        cdu.setHeatLoadKw(80);
        cdu.advanceTo(T0.plusSeconds(30)); // one time constant
        double partWay = cdu.secondaryReturnC();
        cdu.advanceTo(T0.plusSeconds(600));
        double settled = cdu.secondaryReturnC();

        assertThat(partWay).isBetween(before, settled);
        assertThat(settled).isGreaterThan(before);
        assertThat(get("/SecondaryCoolantConnectors/1")
                        .path("ReturnTemperatureCelsius")
                        .path("Reading")
                        .asDouble())
                .isCloseTo(settled, within(0.01));
        assertThat(get("/Pumps/1").path("PumpSpeedPercent").path("Reading").asDouble())
                .isEqualTo(40 + 60 * 0.8);
    }

    @Test
    void injectedLeak_showsCritical_untilCleared() {
        cdu.setLeak("Moisture", true);

        assertThat(get("/LeakDetection/LeakDetectors/Moisture")
                        .path("DetectorState")
                        .asText())
                .isEqualTo("Critical");
        assertThat(get("/LeakDetection/LeakDetectors/Overflow")
                        .path("DetectorState")
                        .asText())
                .isEqualTo("OK");
        assertThat(get("").path("Status").path("Health").asText()).isEqualTo("Critical");
        cdu.setLeak("Moisture", false);
        assertThat(get("/LeakDetection/LeakDetectors/Moisture")
                        .path("DetectorState")
                        .asText())
                .isEqualTo("OK");
        assertThatThrownBy(() -> cdu.setLeak("Bilge", true)).hasMessageContaining("no leak detector 'Bilge'");
    }

    @Test
    void failedPump_stops_andBothFailedStopTheFlow() {
        cdu.setPumpFailed(2, true);
        assertThat(get("/Pumps/2").path("Status").path("Health").asText()).isEqualTo("Critical");
        assertThat(get("/Pumps/2").path("PumpSpeedPercent").path("Reading").asDouble())
                .isZero();
        assertThat(cdu.secondaryFlowLpm()).isPositive();
        cdu.setPumpFailed(1, true);
        assertThat(cdu.secondaryFlowLpm()).isZero();
    }

    @Test
    void everyWrite_isRefused_theCduIsReadOnly() {
        assertThat(cdu.write("PATCH", BASE + "/Pumps/1", JsonNodeFactory.instance.objectNode())
                        .status())
                .isEqualTo(405);
        assertThat(cdu.write("POST", BASE + "/Pumps/1/Actions/Pump.SetMode", JsonNodeFactory.instance.objectNode())
                        .status())
                .isEqualTo(405);
    }
}
