package io.headroom.agent.driver.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.agent.driver.BuiltInDrivers;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.profiles.ProfileCatalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** compile() of snmp profiles: points and match bound with file and line, checked against the capabilities. */
class SnmpDriverFactoryTest {

    private static final String HEAD = """
            id: test/pdu
            vendor: test
            description: a test PDU
            driver: snmp
            kind: pdu
            nameplate: {power-watts: 1000}
            match:
              - sys-object-id: 1.3.6.1.4.1.318.1.3.4
            """;
    private static final String OUTLETS = """
                - name: outlets
                  instance-from: 1.3.6.1.4.1.318.1.1.26.9.2.3.1.4
                  columns:
                    - metric: outlet.state
                      oid: 1.3.6.1.4.1.318.1.1.26.9.2.3.1.5
                      states: {"1": "off", "2": "on"}
            """;

    private static List<String> problems(String yaml) {
        try {
            ProfileCatalog catalog = ProfileCatalog.load(Map.of("profiles/test/pdu.yaml", yaml));
            BuiltInDrivers.registry().compile(catalog);
            return List.of();
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
    }

    @Test
    void compile_theBuiltInApcProfile_hasNoProblems() {
        assertThat(BuiltInDrivers.profiles().compiled("apc/rpdu2")).isInstanceOf(SnmpProfile.class);
    }

    @Test
    void compile_validOutletProfile_hasNoProblems() {
        assertThat(problems(HEAD + """
                capabilities:
                  outlet-off:
                    instances: ["1..8"]
                    read-back: {metric: outlet.state, expect: "off"}
                points:
                  tables:
                """ + OUTLETS + """
                  controls:
                    outlet-off: {table: outlets, oid: "1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.{row}", value: 2}
                """)).isEmpty();
    }

    @Test
    void compile_badPoints_isReportedAtTheKeyWithFileAndLine() {
        List<String> problems = problems(HEAD + """
                capabilities: {}
                points:
                  scalars:
                    - metric: power
                      oid: 1.3.6.one
                    - metric: watts
                      oid: 1.3.6.1.2
                """);

        assertThat(problems)
                .anySatisfy(p -> assertThat(p).contains("pdu.yaml:13").contains("not a numeric OID"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).contains("pdu.yaml:14").contains("unknown metric 'watts'"));
    }

    @Test
    void compile_capabilityWithoutControl_andControlWithoutCapability_areBothProblems() {
        List<String> problems = problems(HEAD + """
                capabilities:
                  outlet-on:
                    instances: ["1..8"]
                points:
                  tables:
                """ + OUTLETS + """
                  controls:
                    outlet-off: {table: outlets, oid: "1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.{row}", value: 2}
                """);

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("capability outlet-on has no control"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("outlet-off is not a capability"));
    }

    @Test
    void compile_instancesTheTableCannotHave_andAReadBackStateWithNoDeviceValue_areProblems() {
        List<String> problems = problems(HEAD + """
                capabilities:
                  outlet-on:
                    instances: ["a1", "2"]
                    read-back: {metric: outlet.state, expect: "on"}
                points:
                  tables:
                    - name: outlets
                      instance-from: 1.3.6.1.4.1.318.1.1.26.9.2.3.1.4
                      columns:
                        - metric: outlet.state
                          oid: 1.3.6.1.4.1.318.1.1.26.9.2.3.1.5
                          states: {"1": "off"}
                  controls:
                    outlet-on: {table: outlets, oid: "1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.{row}", value: 1}
                """);

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("instances [a1] cannot be rows of table outlets"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("expects outlet.state on on read-back"));
    }

    @Test
    void compile_controlWithoutRowForAnInstanceVerb_isAProblem() {
        List<String> problems = problems(HEAD + """
                capabilities:
                  outlet-on:
                    instances: ["1"]
                points:
                  tables:
                """ + OUTLETS + """
                  controls:
                    outlet-on: {table: outlets, oid: "1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.1", value: 1}
                """);

        assertThat(problems)
                .anySatisfy(p -> assertThat(p).contains("outlet-on has instances, but its oid has no {row}"));
    }

    @Test
    void settings_v2cWithoutCommunity_v3WithoutUser_andCommunityWithV3_areRefused() {
        assertThatThrownBy(() -> new SnmpSettings(
                        "pdu", 161, SnmpVersion.V2C, java.util.Optional.empty(), java.util.Optional.empty(), 1))
                .hasMessageStartingWith("community: version 2c needs a community");
        assertThatThrownBy(() -> new SnmpSettings(
                        "pdu", 161, SnmpVersion.V3, java.util.Optional.empty(), java.util.Optional.empty(), 1))
                .hasMessageStartingWith("v3: version 3 needs a v3 block");
        assertThatThrownBy(() -> new SnmpV3Settings(
                        "ops",
                        SnmpAuthProtocol.SHA,
                        java.util.Optional.empty(),
                        SnmpPrivProtocol.NONE,
                        java.util.Optional.empty(),
                        ""))
                .hasMessageStartingWith("auth-passphrase: required with auth sha");
    }
}
