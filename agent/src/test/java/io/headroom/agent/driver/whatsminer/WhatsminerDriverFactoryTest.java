package io.headroom.agent.driver.whatsminer;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the whatsminer factory refuses in a profile, and how a device's block reads from agent.yaml. */
class WhatsminerDriverFactoryTest {

    private static final String PROFILE = """
            id: acme/wm
            vendor: acme
            models: [Acme WM]
            description: Acme WM
            driver: whatsminer
            kind: miner
            nameplate: {power-watts: 3300}
            match: [{read: get_device_info, path: msg.system.api, pattern: "^3"}]
            capabilities:
              sleep: {}
              set-power-target: {unit: W, range: {min: 1000, max: 3300}, read-back: {metric: power.target, tolerance: 17}}
              outlet-on: {instances: ["1"]}
            points:
              api: v2
              power-method: set-power-pct
              nominal-power-watts: 3300
            """;

    private static List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> DriverRegistry.of(new WhatsminerDriverFactory())
                        .compile(ProfileCatalog.load(Map.of("profiles/acme/wm.yaml", yaml))));
        assertThat(e).as("expected the profile to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void profileInconsistencies_areRefused_eachClearly() {
        List<String> problems = problems(PROFILE);

        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .contains("match: read 'get_device_info' is not an API v2 read; use" + " get_version"))
                .anySatisfy(p -> assertThat(p)
                        .contains("capability outlet-on is not something the whatsminer driver" + " can send"))
                .anySatisfy(p -> assertThat(p).contains("capability sleep must be read back from mode"))
                .anySatisfy(p -> assertThat(p)
                        .contains("set-power-target range 1000.0..3300.0 W is outside"
                                + " set_power_pct's 1..99 % of 3300.0 W"));
    }

    @Test
    void setPowerPct_withoutNominal_isRefused() {
        String yaml = PROFILE.replace("  nominal-power-watts: 3300\n", "");

        assertThat(problems(yaml))
                .anySatisfy(p -> assertThat(p)
                        .contains("nominal-power-watts: required (> 0) with power-method" + " set-power-pct"));
    }

    @Test
    void agentYaml_bindsTheBlock_withDefaults_andTheCredentialsReference() throws Exception {
        String yaml = """
                agent-id: a1
                site: s1
                mqtt: {url: tcp://127.0.0.1:1883, password: {file: p}}
                devices:
                  - id: wm-7
                    profile: microbt/whatsminer-v2
                    credentials: {credential: wm-7-admin}
                    whatsminer: {host: 10.0.0.7}
                """;

        AgentConfig config = AgentConfigLoader.parse(
                "agent.yaml", yaml, Path.of("/etc/headroom"), TestDevices.DRIVERS, TestDevices.PROFILES);

        DeviceConfig device = config.devices().get(0);
        assertThat(device.settings()).isEqualTo(new WhatsminerSettings("10.0.0.7", WhatsminerApi.AUTO, 4028, 4433));
        assertThat(device.credentials()).contains(new SecretRef.Credential("wm-7-admin"));
    }

    private static List<String> loadProblems(String devices) {
        String yaml = """
                agent-id: a1
                site: s1
                mqtt: {url: tcp://127.0.0.1:1883, password: {file: p}}
                devices:
                """ + devices;
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> AgentConfigLoader.parse(
                        "agent.yaml", yaml, Path.of("/etc/headroom"), TestDevices.DRIVERS, TestDevices.PROFILES));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void agentYaml_aLiteralPassword_isRefused_whereverItIsWritten() {
        assertThat(loadProblems("""
                          - id: wm-7
                            profile: microbt/whatsminer-v3
                            credentials: super
                            whatsminer: {host: 10.0.0.7}
                        """))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("agent.yaml:7: devices[0].credentials:")
                        .contains("secrets are never written inline"));
        assertThat(loadProblems("""
                          - id: wm-7
                            profile: microbt/whatsminer-v3
                            whatsminer: {host: 10.0.0.7, password: super}
                        """))
                .anySatisfy(p ->
                        assertThat(p).contains("devices[0].whatsminer.password").contains("unknown key"));
    }
}
