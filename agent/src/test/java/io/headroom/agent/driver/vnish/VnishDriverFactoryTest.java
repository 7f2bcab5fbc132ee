package io.headroom.agent.driver.vnish;

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
import io.headroom.profiles.FirmwareProfile;
import io.headroom.profiles.ProfileCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the vnish factory refuses in a profile and in a device block, how the block reads from agent.yaml, and that
 * {@code profile: auto} identifies a simulated Vnish miner by its {@code info}.
 */
class VnishDriverFactoryTest {

    private static final String PROFILE = """
            id: acme/vn
            vendor: acme
            models: [Acme VN]
            description: Acme VN
            driver: vnish
            kind: miner
            nameplate: {power-watts: 3250}
            match: [{read: info, path: fw_name, pattern: "^Vnish"}]
            capabilities:
              sleep: {read-back: {metric: mode, expect: sleep}}
              set-power-target: {unit: W, range: {min: 1000, max: 5000}, read-back: {metric: power.target}}
            points: {hashrate: realtime}
            """;

    private static List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> DriverRegistry.of(new VnishDriverFactory())
                        .compile(ProfileCatalog.load(Map.of("profiles/acme/vn.yaml", yaml))));
        assertThat(e).as("expected the profile to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void profileInconsistencies_areRefused_eachClearly() {
        String yaml = PROFILE.replace("sleep: {read-back: {metric: mode, expect: sleep}}", "sleep: {}\n  reboot: {}")
                .replace("read-back: {metric: power.target}", "read-back: {metric: power}");

        assertThat(problems(yaml))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("profiles/acme/vn.yaml:")
                        .contains("capability reboot is not something the vnish driver can send"))
                .anySatisfy(p -> assertThat(p).contains("capability sleep must be read back from mode"))
                .anySatisfy(
                        p -> assertThat(p).contains("capability set-power-target must be read back from power.target"));
    }

    @Test
    void theValidProfile_compiles() throws Exception {
        assertThat(DriverRegistry.of(new VnishDriverFactory())
                        .compile(ProfileCatalog.load(Map.of("profiles/acme/vn.yaml", PROFILE)))
                        .compiled("acme/vn"))
                .isInstanceOf(VnishProfile.class);
    }

    @Test
    void badPointsAndMatch_areRefused() {
        assertThat(problems(PROFILE.replace("points: {hashrate: realtime}", "points: {untuned-presets: round}")))
                .anySatisfy(p -> assertThat(p).contains("untuned-presets: 'round' is not one of [allow, refuse]"));
        assertThat(problems(PROFILE.replace("read: info", "read: settings")))
                .anySatisfy(p -> assertThat(p).contains("read: 'settings' is not one of [info, summary]"));
    }

    private static AgentConfig parse(String block) throws Exception {
        String yaml = """
                agent-id: a1
                site: s1
                mqtt: {url: tcp://127.0.0.1:1883, password: {file: p}}
                devices:
                  - id: vn-1
                    profile: vnish/vnish
                    credentials: {credential: vn-1-web}
                """ + "    vnish: " + block + "\n";
        return AgentConfigLoader.parse(
                "agent.yaml", yaml, Path.of("/etc/headroom"), TestDevices.DRIVERS, TestDevices.PROFILES);
    }

    @Test
    void agentYaml_bindsTheBlock_withDefaults_andTheCredentialsReference() throws Exception {
        DeviceConfig device = parse("{host: 10.0.0.9}").devices().get(0);

        assertThat(device.settings()).isEqualTo(new VnishSettings("10.0.0.9", 80, "password"));
        assertThat(device.credentials()).contains(new SecretRef.Credential("vn-1-web"));
        assertThat(parse("{host: 10.0.0.9, port: 8080, auth: api-key}")
                        .devices()
                        .get(0)
                        .settings())
                .isEqualTo(new VnishSettings("10.0.0.9", 8080, "api-key"));
    }

    @Test
    void agentYaml_badBlock_isRefused_namingTheKey() {
        for (String block : List.of("{host: 10.0.0.9, auth: token}", "{host: 10.0.0.9, port: 70000}", "{port: 80}")) {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(block));
            assertThat(e).as(block).isNotNull();
            assertThat(e.getMessage()).as(block).containsAnyOf("auth", "port", "host");
        }
    }

    @Test
    void profileAuto_identifiesASimulatedVnishMiner_byItsInfo() throws Exception {
        try (VnishRig rig = new VnishRig()) {
            DeviceConfig device = VnishRig.device(rig.miner.port(), "web", "password", VnishRig.TIMEOUT);
            VnishDriverFactory factory = new VnishDriverFactory();
            FirmwareProfile profile =
                    TestDevices.PROFILES.catalog().find("vnish/vnish").orElseThrow();

            Optional<FirmwareProfile> found = factory.identify(
                    device,
                    (VnishSettings) device.settings(),
                    Map.of(profile, (VnishProfile) TestDevices.PROFILES.compiled("vnish/vnish")),
                    rig.context());

            assertThat(found).contains(profile);
        }
    }
}
