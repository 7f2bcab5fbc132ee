package io.headroom.agent.driver.dcgm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.agent.driver.DriverRegistry;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.profiles.ProfileCatalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the dcgm factory refuses in a profile, each at its file and line. */
class DcgmDriverFactoryTest {

    private static final String PROFILE = """
            id: acme/g1
            vendor: acme
            models: [Acme G1]
            description: Acme G1
            driver: dcgm
            kind: gpu-server
            nameplate: {power-watts: 5000}
            match: [{metric: "^DCGM_FI_DEV_"}]
            points:
              fields:
                - {metric: power, name: DCGM_FI_DEV_POWER_USAGE, total: sum}
            """;

    private static List<String> problems(String yaml) throws ConfigException {
        ProfileCatalog catalog = ProfileCatalog.load(Map.of("profiles/acme/g1.yaml", yaml));
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> DriverRegistry.of(new DcgmDriverFactory()).compile(catalog));
        assertThat(e).as("expected the profile to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void minimalProfile_compiles() throws Exception {
        ProfileCatalog catalog = ProfileCatalog.load(Map.of("profiles/acme/g1.yaml", PROFILE));

        assertThat(DriverRegistry.of(new DcgmDriverFactory()).compile(catalog).compiled("acme/g1"))
                .isInstanceOf(DcgmProfile.class);
    }

    @Test
    void anyCapability_isRefused_asDcgmExporterOnlyExports() throws Exception {
        String yaml = PROFILE.replace(
                "points:",
                "capabilities:\n  set-power-cap: {unit: W, range: {min: 100, max: 700}, instances: [\"0..7\"],"
                        + " read-back: {metric: power.target, tolerance: 1}}\npoints:");

        assertThat(problems(yaml)).anySatisfy(p -> assertThat(p).contains("dcgm-exporter only exports"));
    }

    @Test
    void unknownMetric_badNameAndBadInstance_areRefusedAtTheirKeys() throws Exception {
        String yaml = PROFILE.replace(
                "- {metric: power, name: DCGM_FI_DEV_POWER_USAGE, total: sum}",
                "- {metric: gpu.util, name: DCGM_FI_DEV_GPU_UTIL}\n"
                        + "    - {metric: power, name: \"DCGM FI\"}\n"
                        + "    - {metric: load, name: DCGM_FI_DEV_GPU_UTIL, instance: \"GPU {gpu}\"}\n"
                        + "    - {metric: mode, name: DCGM_FI_DEV_GPU_UTIL}");

        assertThat(problems(yaml))
                .anySatisfy(p -> assertThat(p).contains("unknown metric 'gpu.util'"))
                .anySatisfy(p -> assertThat(p).contains("'DCGM FI' is not a Prometheus metric name"))
                .anySatisfy(p -> assertThat(p).contains("instance: 'GPU {gpu}' must be"))
                .anySatisfy(p -> assertThat(p).contains("mode is a state"));
    }

    @Test
    void badConditionReason_isRefused() throws Exception {
        String yaml = PROFILE + "  degraded-when:\n    - {name: DCGM_FI_DEV_XID_ERRORS, reason: \"XID!\"}\n";

        assertThat(problems(yaml)).anySatisfy(p -> assertThat(p).contains("reason: 'XID!' must be"));
    }
}
