package io.headroom.agent.driver.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.agent.driver.DriverRegistry;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.profiles.ProfileCatalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the cgminer factory refuses in a profile's points:, each at its own file, line and path. */
class CgminerDriverFactoryTest {

    private static final String PROFILE = """
            id: acme/m1
            vendor: acme
            models: [Acme M1]
            description: Acme M1
            driver: cgminer
            kind: miner
            nameplate: {power-watts: 3000}
            match: [{command: version, path: "VERSION[0].Acme", pattern: ".+"}]
            capabilities:
              sleep: {read-back: {metric: mode, expect: sleep}}
              set-power-target: {unit: W, range: {min: 1000, max: 3000}, read-back: {metric: power.target, tolerance: 10}}
            points:
              reads: [stats, version]
              controls:
                set-power-target: {command: powerset, parameter: "3000"}
                reboot: {command: restart}
            """;

    private static List<String> problems(String yaml) throws ConfigException {
        ProfileCatalog catalog = ProfileCatalog.load(Map.of("profiles/acme/m1.yaml", yaml));
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> DriverRegistry.of(new CgminerDriverFactory()).compile(catalog));
        assertThat(e).as("expected the profile to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void controlsThatDoNotFitTheCapabilities_areRefusedAtTheirKeys() throws Exception {
        List<String> problems = problems(PROFILE);

        assertThat(problems)
                .contains("profiles/acme/m1.yaml:14: points.controls: capability sleep has no control saying what"
                        + " to send")
                .contains("profiles/acme/m1.yaml:15: points.controls.set-power-target: takes a value, but its"
                        + " parameter has neither {value} nor {preset}")
                .contains("profiles/acme/m1.yaml:15: points.controls.set-power-target: is read back from"
                        + " power.target, which has no device-total field mapping")
                .contains("profiles/acme/m1.yaml:16: points.controls.reboot: not a capability of this profile;"
                        + " declare it under capabilities or remove it");
    }

    @Test
    void matchRuleReadingACommandNoPollSends_isRefused() throws Exception {
        String yaml = PROFILE.replace("reads: [stats, version]", "reads: [stats]");

        assertThat(problems(yaml))
                .anySatisfy(p -> assertThat(p)
                        .isEqualTo("profiles/acme/m1.yaml:13: points.reads: match: version is not one of these reads"));
    }
}
