package io.headroom.agent.driver.nvsmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.agent.driver.DriverRegistry;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.profiles.ProfileCatalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the nvidia-smi factory refuses in a profile. */
class NvsmiDriverFactoryTest {

    private static final String PROFILE = """
            id: acme/g1
            vendor: acme
            models: [Acme G1]
            description: Acme G1
            driver: nvidia-smi
            kind: gpu-server
            nameplate: {power-watts: 5000}
            match: [{path: gpu/product_name, pattern: "."}]
            capabilities:
              set-power-cap: {unit: W, range: {min: 100, max: 700}, instances: ["0..7"], read-back: {metric: power.target, tolerance: 1}}
            points:
              fields:
                - {metric: power, paths: [gpu_power_readings/power_draw], unit: W, total: sum}
              power-limit:
                enforced: [gpu_power_readings/current_power_limit]
                min: [gpu_power_readings/min_power_limit]
                max: [gpu_power_readings/max_power_limit]
            """;

    private static List<String> problems(String yaml) throws ConfigException {
        ProfileCatalog catalog = ProfileCatalog.load(Map.of("profiles/acme/g1.yaml", yaml));
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> DriverRegistry.of(new NvsmiDriverFactory()).compile(catalog));
        assertThat(e).as("expected the profile to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void minimalProfile_compiles() throws Exception {
        ProfileCatalog catalog = ProfileCatalog.load(Map.of("profiles/acme/g1.yaml", PROFILE));

        assertThat(DriverRegistry.of(new NvsmiDriverFactory()).compile(catalog).compiled("acme/g1"))
                .isInstanceOf(NvsmiProfile.class);
    }

    @Test
    void capabilityOtherThanSetPowerCap_isRefused() throws Exception {
        String yaml = PROFILE.replace("capabilities:\n", "capabilities:\n  reboot: {dangerous: true}\n");

        assertThat(problems(yaml)).anySatisfy(p -> assertThat(p).contains("reboot: nvidia-smi can only set-power-cap"));
    }

    @Test
    void setPowerCapWithoutGpuInstances_orReadBack_isRefused() throws Exception {
        String yaml = PROFILE.replace(
                "set-power-cap: {unit: W, range: {min: 100, max: 700}, instances: [\"0..7\"], read-back: {metric:"
                        + " power.target, tolerance: 1}}",
                "set-power-cap: {unit: W, range: {min: 100, max: 700}, instances: [gpu0]}");

        assertThat(problems(yaml))
                .anySatisfy(p -> assertThat(p).contains("instance 'gpu0' is not a GPU index"))
                .anySatisfy(p -> assertThat(p).contains("read it back from power.target"));
    }

    @Test
    void badPaths_areRefused() throws Exception {
        String yaml = PROFILE.replace("paths: [gpu_power_readings/power_draw]", "paths: [\"../../etc/passwd\"]")
                .replace("enforced: [gpu_power_readings/current_power_limit]", "enforced: []");

        assertThat(problems(yaml))
                .anySatisfy(p -> assertThat(p).contains("must be element names joined by /"))
                .anySatisfy(p -> assertThat(p).contains("enforced: name at least one element path"));
    }
}
