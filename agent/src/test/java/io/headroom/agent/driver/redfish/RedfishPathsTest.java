package io.headroom.agent.driver.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RedfishPathsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fieldPaths_followNamesIndexesAndAnnotations() throws Exception {
        JsonNode root = JSON.readTree("{\"@odata.type\": \"#Power.v1_7_1.Power\", \"Members@odata.count\": 2,"
                + " \"PowerControl\": [{\"PowerLimit\": {\"LimitInWatts\": 500}}], \"Grid\": [[1, 2], [3, 4]]}");

        assertThat(RedfishPaths.at(root, "@odata.type").asText()).isEqualTo("#Power.v1_7_1.Power");
        assertThat(RedfishPaths.at(root, "Members@odata.count").asInt()).isEqualTo(2);
        assertThat(RedfishPaths.at(root, "PowerControl[0].PowerLimit.LimitInWatts")
                        .asInt())
                .isEqualTo(500);
        assertThat(RedfishPaths.at(root, "Grid[1][0]").asInt()).isEqualTo(3);
        assertThat(RedfishPaths.at(root, "PowerControl[1].PowerLimit")).isNull();
        assertThat(RedfishPaths.at(root, "PowerControl.PowerLimit")).isNull();
        assertThat(RedfishPaths.at(root, "Missing.Deeper")).isNull();
    }

    @Test
    void resources_areFilledBelowTheServiceRoot() {
        assertThat(RedfishPaths.absolute("Chassis/{chassis}/Power", "1U")).isEqualTo("/redfish/v1/Chassis/1U/Power");
        assertThat(RedfishPaths.absolute("", "1U")).isEqualTo("/redfish/v1");
        assertThatThrownBy(() -> RedfishPaths.requireResource("/abs/path", "resource"))
                .hasMessageContaining("not a resource path");
        assertThatThrownBy(() -> RedfishPaths.requireSegment("../x", "chassis")).hasMessageContaining("chassis");
    }

    @Test
    void memberReferences_staySameHostAndBelowTheRoot() {
        assertThat(RedfishClient.pathOf("/redfish/v1/Chassis/1U")).isEqualTo("/redfish/v1/Chassis/1U");
        assertThat(RedfishClient.pathOf("https://evil.example/redfish/v1/SessionService/Sessions/1"))
                .isEqualTo("/redfish/v1/SessionService/Sessions/1");
        assertThat(RedfishClient.pathOf("/redfish/v1/../../etc/passwd")).isNull();
        assertThat(RedfishClient.pathOf("/other/place")).isNull();
        assertThat(RedfishClient.pathOf("not a uri at all %%")).isNull();
    }

    @Test
    void instances_areCleanedAndCut() {
        assertThat(RedfishPaths.instance("", "CPUTemp1")).isEqualTo("cputemp1");
        assertThat(RedfishPaths.instance("psu", "0")).isEqualTo("psu0");
        assertThat(RedfishPaths.instance("", "GPU #1 Temp")).isEqualTo("gpu--1-temp");
        assertThat(RedfishPaths.instance("", "x".repeat(80))).hasSize(32);
    }

    @Test
    void capBodies_sendWholeWattsAsIntegers() {
        assertThat(RedfishPowerCap.body(RedfishLimitStyle.CONTROL, 4400).toString())
                .isEqualTo("{\"SetPoint\":4400}");
        assertThat(RedfishPowerCap.body(RedfishLimitStyle.LEGACY, 4400.5).toString())
                .isEqualTo("{\"PowerControl\":[{\"PowerLimit\":{\"LimitInWatts\":4400.5}}]}");
    }
}
