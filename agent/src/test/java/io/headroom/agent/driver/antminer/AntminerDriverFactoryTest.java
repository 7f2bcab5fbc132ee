package io.headroom.agent.driver.antminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.config.AgentConfigLoader;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.DriverRegistry;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.config.SecretRef;
import io.headroom.profiles.ProfileCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the antminer-web factory refuses in a profile, and how a device's block reads from agent.yaml. */
class AntminerDriverFactoryTest {

    private static final String PROFILE = """
            id: acme/am
            vendor: acme
            models: [Acme AM]
            description: Acme AM
            driver: antminer-web
            kind: miner
            nameplate: {power-watts: 3500}
            match: [{cgi: stats, path: INFO.type, pattern: "^Antminer"}]
            capabilities:
              sleep: {}
              wake: {read-back: {metric: mode, expect: normal}}
              set-power-target: {unit: W, range: {min: 1000, max: 3500}, read-back: {metric: power.target}}
            points:
              modes: {"0": normal, "1": sleep}
              controls: {sleep: "0", wake: "1"}
            """;

    private static List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> DriverRegistry.of(new AntminerDriverFactory())
                        .compile(ProfileCatalog.load(Map.of("profiles/acme/am.yaml", yaml))));
        assertThat(e).as("expected the profile to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void profileInconsistencies_areRefused_eachClearly() {
        assertThat(problems(PROFILE))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("profiles/acme/am.yaml:")
                        .contains("capability set-power-target is not something the antminer-web driver can send"))
                .anySatisfy(p -> assertThat(p).contains("capability sleep must be read back from mode"))
                .anySatisfy(p -> assertThat(p).contains("controls.sleep: code '0' means NORMAL, not sleep"))
                .anySatisfy(p -> assertThat(p).contains("controls.wake: code '1' means SLEEP, not a mining mode"));
    }

    @Test
    void controlCodeNotAMode_andAControlWithoutCapability_areRefused() {
        String yaml = PROFILE.replace("  sleep: {}\n", "")
                .replace(
                        "  set-power-target: {unit: W, range: {min: 1000, max: 3500}, read-back: {metric: power.target}}\n",
                        "")
                .replace("controls: {sleep: \"0\", wake: \"1\"}", "controls: {sleep: \"1\", wake: \"9\"}");

        assertThat(problems(yaml))
                .anySatisfy(p -> assertThat(p).contains("controls.wake: code '9' is not one of modes"));
        assertThat(problems(PROFILE.replace("  sleep: {}\n", "")
                        .replace(
                                "  set-power-target: {unit: W, range: {min: 1000, max: 3500}, read-back: {metric: power.target}}\n",
                                "")
                        .replace("controls: {sleep: \"0\", wake: \"1\"}", "controls: {sleep: \"1\", wake: \"0\"}")))
                .anySatisfy(p -> assertThat(p).contains("controls.sleep: no sleep capability declares it"));
    }

    @Test
    void matchRule_onAnUnknownCgi_isRefused() {
        assertThat(problems(PROFILE.replace("cgi: stats", "cgi: passwd")))
                .anySatisfy(p -> assertThat(p).contains("cgi: 'passwd' is not one of"));
    }

    @Test
    void agentYaml_bindsTheBlock_withDefaults_andTheCredentialsReference() throws Exception {
        String yaml = """
                agent-id: a1
                site: s1
                mqtt: {url: tcp://127.0.0.1:1883, password: {file: p}}
                devices:
                  - id: s21-1
                    profile: antminer/stock-web
                    credentials: {credential: s21-1-web}
                    antminer-web: {host: 10.0.0.9}
                """;

        AgentConfig config = AgentConfigLoader.parse(
                "agent.yaml", yaml, Path.of("/etc/headroom"), TestDevices.DRIVERS, TestDevices.PROFILES);

        DeviceConfig device = config.devices().get(0);
        assertThat(device.settings()).isEqualTo(new AntminerSettings("10.0.0.9", 80, "root", Duration.ofSeconds(40)));
        assertThat(device.credentials()).contains(new SecretRef.Credential("s21-1-web"));
    }
}
