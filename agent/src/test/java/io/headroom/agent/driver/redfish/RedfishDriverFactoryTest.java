package io.headroom.agent.driver.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.agent.driver.DriverRegistry;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.profiles.ProfileCatalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the redfish factory refuses in a profile, each at its own file and line. */
class RedfishDriverFactoryTest {

    private static final String PROFILE = """
            id: acme/g1
            vendor: acme
            models: [Acme G1]
            description: Acme G1
            driver: redfish
            kind: gpu-server
            nameplate: {power-watts: 6000}
            match: [{resource: "", path: Product, pattern: "G1"}]
            capabilities:
              set-power-cap: {unit: W, range: {min: 1000, max: 6000}, read-back: {metric: power.target, tolerance: 1}}
            points:
              fields:
                - {metric: power, resource: "Chassis/{chassis}/EnvironmentMetrics", path: PowerWatts.Reading}
              power-limit: {style: control, resource: "Chassis/{chassis}/Controls/PowerLimit"}
            """;

    private static List<String> problems(String yaml) throws Exception {
        ProfileCatalog catalog = ProfileCatalog.load(Map.of("profiles/acme/g1.yaml", yaml));
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> DriverRegistry.of(new RedfishDriverFactory()).compile(catalog));
        assertThat(e).as("expected the profile to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void aGoodProfile_compiles() throws Exception {
        ProfileCatalog catalog = ProfileCatalog.load(Map.of("profiles/acme/g1.yaml", PROFILE));

        assertThat(DriverRegistry.of(new RedfishDriverFactory())
                        .compile(catalog)
                        .compiled("acme/g1"))
                .isInstanceOf(RedfishProfile.class);
    }

    @Test
    void capWithoutPowerLimit_andOtherVerbs_areRefused() throws Exception {
        String yaml = PROFILE.replace(
                        "  power-limit: {style: control, resource: \"Chassis/{chassis}/Controls/PowerLimit\"}\n", "")
                .replace("capabilities:\n", "capabilities:\n  reboot: {dangerous: true}\n");

        assertThat(problems(yaml))
                .anySatisfy(p -> assertThat(p).contains("set-power-cap has no power-limit"))
                .anySatisfy(
                        p -> assertThat(p).contains("capability reboot: the redfish driver sends only set-power-cap"));
    }

    @Test
    void powerLimitWithoutTheCapability_isRefusedAtItsKey() throws Exception {
        String yaml = PROFILE.replace(
                        "  set-power-cap: {unit: W, range: {min: 1000, max: 6000}, read-back: {metric: power.target, tolerance: 1}}\n",
                        "  {}\n")
                .replace("capabilities:\n  {}\n", "capabilities: {}\n");

        assertThat(problems(yaml))
                .anySatisfy(p ->
                        assertThat(p).startsWith("profiles/acme/g1.yaml:13: points.power-limit: not a capability"));
    }

    @Test
    void badPaths_placeholders_andStateMetrics_areRefused() throws Exception {
        assertThat(problems(PROFILE.replace("Chassis/{chassis}/EnvironmentMetrics", "Chassis/{system}/Env")))
                .anySatisfy(p -> assertThat(p).contains("the only placeholder is {chassis}"));
        assertThat(problems(PROFILE.replace("Chassis/{chassis}/EnvironmentMetrics", "../../etc")))
                .anySatisfy(p -> assertThat(p).contains("is not a resource path below /redfish/v1"));
        assertThat(problems(PROFILE.replace("path: PowerWatts.Reading", "path: \"PowerWatts..Reading\"")))
                .anySatisfy(p -> assertThat(p).contains("is not a field path"));
        assertThat(problems(PROFILE.replace("metric: power,", "metric: mode,")))
                .anySatisfy(p -> assertThat(p).contains("'mode' is a state metric"));
    }

    @Test
    void capReadBackFromAnotherMetric_isRefused() throws Exception {
        assertThat(problems(PROFILE.replace("read-back: {metric: power.target", "read-back: {metric: power")))
                .anySatisfy(p -> assertThat(p).contains("its read-back metric must be power.target"));
    }

    private static final String PDU = """
            id: acme/g1
            vendor: acme
            models: [Acme P1]
            description: Acme P1
            driver: redfish
            kind: pdu
            nameplate: {power-watts: 6000}
            match: [{resource: "PowerEquipment/RackPDUs/{chassis}", path: "@odata.type", pattern: "^#PowerDistribution"}]
            capabilities:
              outlet-off: {instances: ["1..8"], read-back: {metric: outlet.state, expect: "off"}}
            points:
              tables:
                - resource: "PowerEquipment/RackPDUs/{chassis}/Outlets"
                  members: true
                  instance-from: Id
                  columns:
                    - {metric: outlet.state, path: PowerState, states: {"On": "on", "Off": "off"}}
                  degraded-when:
                    - {path: Status.Health, pattern: "^Critical$", reason: outlet-fault}
              outlets: {resource: "PowerEquipment/RackPDUs/{chassis}/Outlets"}
            """;

    @Test
    void aPduProfile_compiles() throws Exception {
        ProfileCatalog catalog = ProfileCatalog.load(Map.of("profiles/acme/g1.yaml", PDU));

        assertThat(DriverRegistry.of(new RedfishDriverFactory())
                        .compile(catalog)
                        .compiled("acme/g1"))
                .isInstanceOf(RedfishProfile.class);
    }

    @Test
    void outletVerbsWithoutOutlets_outletsWithoutAVerb_andAWrongReadBack_areRefused() throws Exception {
        assertThat(problems(PDU.replace("  outlets: {resource: \"PowerEquipment/RackPDUs/{chassis}/Outlets\"}\n", "")))
                .anySatisfy(p -> assertThat(p).contains("capability outlet-off has no outlets"));
        assertThat(problems(PDU.replace(
                                "  outlet-off: {instances: [\"1..8\"], read-back: {metric: outlet.state, expect: \"off\"}}\n",
                                "  {}\n")
                        .replace("capabilities:\n  {}\n", "capabilities: {}\n")))
                .anySatisfy(p -> assertThat(p).contains("points.outlets: no outlet capability uses it"));
        assertThat(problems(PDU.replace(
                        "read-back: {metric: outlet.state, expect: \"off\"}",
                        "read-back: {metric: leak.state, expect: \"ok\"}")))
                .anySatisfy(p -> assertThat(p).contains("its read-back metric must be outlet.state"));
    }

    @Test
    void badStatesAndDegradedWhen_areRefused() throws Exception {
        assertThat(problems(PDU.replace(", states: {\"On\": \"on\", \"Off\": \"off\"}", "")))
                .anySatisfy(p -> assertThat(p).contains("'outlet.state' is a state metric; give states"));
        assertThat(problems(PDU.replace("\"Off\": \"off\"", "\"Off\": \"dark\"")))
                .anySatisfy(p -> assertThat(p).contains("'dark' is not a state of outlet.state"));
        assertThat(problems(PDU.replace("metric: outlet.state, path: PowerState", "metric: power, path: PowerState")))
                .anySatisfy(p -> assertThat(p).contains("'power' is not a state metric"));
        assertThat(problems(PDU.replace("reason: outlet-fault", "reason: \"Outlet Fault!\"")))
                .anySatisfy(p -> assertThat(p).contains("must be [a-z][a-z0-9-]{0,39}"));
        assertThat(problems(PDU.replace("pattern: \"^Critical$\"", "pattern: \"([\"")))
                .anySatisfy(p -> assertThat(p).contains("not a regular expression"));
    }
}
