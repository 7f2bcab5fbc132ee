package io.headroom.simulator.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.simulator.gpu.RedfishService;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The simulated Redfish PDU's model and resources, stepped by hand (no sockets). */
class SimulatedRedfishPduTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final String A1 = SimulatedRedfishPdu.BASE + "/Outlets/A1";

    private final SimulatedRedfishPdu pdu = SimulatedRedfishPdu.eightOutlets(500, Duration.ofSeconds(3), T0);

    private static ObjectNode state(String value) {
        return JsonNodeFactory.instance.objectNode().put("PowerState", value);
    }

    private double outletWatts(String path) {
        return Objects.requireNonNull(pdu.get(path))
                .path("PowerWatts")
                .path("Reading")
                .asDouble();
    }

    @Test
    void outletOff_showsOffAtOnce_andItsPowerFallsToZeroAfterTheSettleDelay() {
        RedfishService.Write answer = pdu.write("POST", A1 + "/Outlet.PowerControl", state("Off"));

        assertThat(answer.status()).isEqualTo(204);
        assertThat(Objects.requireNonNull(pdu.get(A1)).path("PowerState").asText())
                .isEqualTo("Off");
        assertThat(outletWatts(A1)).isEqualTo(500);
        pdu.advanceTo(T0.plusSeconds(3));
        assertThat(outletWatts(A1)).isZero();
        assertThat(pdu.totalPowerWatts()).isEqualTo(7 * 500);
        assertThat(Objects.requireNonNull(pdu.get(SimulatedRedfishPdu.BASE + "/Metrics"))
                        .path("PowerWatts")
                        .path("Reading")
                        .asDouble())
                .isEqualTo(3500);
    }

    @Test
    void outletOn_andCycle_bringTheLoadBackAfterTheDelay_andEnergyCountsWhatWasDrawn() {
        pdu.write("POST", A1 + "/Outlet.PowerControl", state("Off"));
        pdu.advanceTo(T0.plusSeconds(3600)); // 3 s at 500 W, then off
        double energy = Objects.requireNonNull(pdu.get(A1))
                .path("EnergykWh")
                .path("Reading")
                .asDouble();
        pdu.write("POST", A1 + "/Outlet.PowerControl", state("On"));
        pdu.advanceTo(T0.plusSeconds(3602));
        double starting = outletWatts(A1);
        pdu.advanceTo(T0.plusSeconds(3603));

        assertThat(energy).isCloseTo(500 * 3 / 3.6e6, within(0.01));
        assertThat(starting).isZero();
        assertThat(outletWatts(A1)).isEqualTo(500);
        pdu.write("POST", A1 + "/Outlet.PowerControl", state("PowerCycle"));
        assertThat(pdu.isOn("A1")).isTrue();
        assertThat(outletWatts(A1)).isZero();
    }

    @Test
    void settableLoad_isWhatAnOnOutletDraws_andTheBranchAndMainsAddUp() {
        pdu.setLoad("B2", 1200);

        assertThat(outletWatts(SimulatedRedfishPdu.BASE + "/Outlets/B2")).isEqualTo(1200);
        assertThat(Objects.requireNonNull(pdu.get(SimulatedRedfishPdu.BASE + "/Branches/B"))
                        .path("PowerWatts")
                        .path("Reading")
                        .asDouble())
                .isEqualTo(3 * 500 + 1200);
        assertThat(Objects.requireNonNull(pdu.get(SimulatedRedfishPdu.BASE + "/Mains/AC1"))
                        .path("PolyPhasePowerWatts")
                        .path("Line1ToNeutral")
                        .path("Reading")
                        .asDouble())
                .isEqualTo(7 * 500 + 1200);
        assertThatThrownBy(() -> pdu.setLoad("Z9", 1)).hasMessageContaining("no outlet 'Z9'");
        assertThatThrownBy(() -> pdu.setLoad("A1", Double.NaN)).hasMessageContaining("0 to 16000");
    }

    @Test
    void badActions_areRefusedWithRedfishErrors_andChangeNothing() {
        assertThat(pdu.write("POST", A1 + "/Outlet.PowerControl", JsonNodeFactory.instance.objectNode())
                        .messageId())
                .isEqualTo("Base.1.8.ActionParameterMissing");
        assertThat(pdu.write("POST", A1 + "/Outlet.PowerControl", state("Sideways"))
                        .messageId())
                .isEqualTo("Base.1.8.ActionParameterValueNotInList");
        assertThat(pdu.write("POST", SimulatedRedfishPdu.BASE + "/Outlets/Z9/Outlet.PowerControl", state("Off"))
                        .status())
                .isEqualTo(404);
        assertThat(pdu.write("PATCH", A1, state("Off")).status()).isEqualTo(405);
        assertThat(pdu.outletIds().stream().allMatch(pdu::isOn)).isTrue();
        assertThat(pdu.get(SimulatedRedfishPdu.BASE + "/Outlets/Z9")).isNull();
    }
}
