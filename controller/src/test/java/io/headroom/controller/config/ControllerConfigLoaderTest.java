package io.headroom.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ControllerConfigLoaderTest {

    private static Path resource(String name) throws Exception {
        return Path.of(ControllerConfigLoaderTest.class.getResource(name).toURI());
    }

    @Test
    void load_shippedExample_parses() throws Exception {
        ControllerConfig config = ControllerConfigLoader.load(Path.of("src/dist/controller.example.yaml"));

        assertThat(config.site()).isEqualTo("demo");
        assertThat(config.controllerId()).isEqualTo("controller-1");
        assertThat(config.mqtt()).isEqualTo(new ControllerConfig.Mqtt("127.0.0.1", 1883,
                Path.of("/etc/headroom/credentials"), 1_048_576, Duration.ofSeconds(30), 10_000));
        assertThat(config.http()).isEqualTo(new ControllerConfig.Http("127.0.0.1", 8080));
        assertThat(config.lease()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void parse_minimal_appliesDefaults() throws Exception {
        ControllerConfig config = ControllerConfigLoader.parse("site: s1\nmqtt:\n  credentials-file: c\n");

        assertThat(config.controllerId()).isEqualTo("controller");
        assertThat(config.mqtt().port()).isEqualTo(1883);
        assertThat(config.mqtt().credentialsFile()).isEqualTo(Path.of("c"));
        assertThat(config.mqtt().maxPacketSize()).isEqualTo(1024 * 1024);
        assertThat(config.http()).isEqualTo(new ControllerConfig.Http("127.0.0.1", 8080));
        assertThat(config.lease()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void parse_durationsAndPortZero_accepted() throws Exception {
        ControllerConfig config = ControllerConfigLoader.parse(
                "site: s1\nmqtt:\n  credentials-file: c\n  port: 0\n  max-keep-alive: 2m\nhttp:\n  port: 0\nlease: 9500ms\n");

        assertThat(config.mqtt().port()).isZero();
        assertThat(config.mqtt().maxKeepAlive()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.http().port()).isZero();
        assertThat(config.lease()).isEqualTo(Duration.ofMillis(9500));
    }

    @Test
    void load_fileWithManyErrors_reportsEveryOneWithPathAndLine() throws Exception {
        Path file = resource("/config/many-errors.yaml");

        assertThatThrownBy(() -> ControllerConfigLoader.load(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).containsExactly(
                            "site (line 1): 'demo site' contains ' '; allowed are letters, digits, '.', '_' and '-'",
                            "mqtt.port (line 4): 70000 is outside 0..65535",
                            "mqtt.max-keep-alive (line 6): '30x' is not a duration; write e.g. 500ms, 30s, 2m or 1h",
                            "mqtt.max-packet-size (line 7): 12 is outside 1024..268435455",
                            "http.prot (line 10): unknown key; known keys: bind, port",
                            "lease (line 11): 1s is outside 3s..1h",
                            "colour (line 12): unknown key; known keys: site, controller-id, mqtt, http, lease");
                    assertThat(e.getMessage()).startsWith(file + ": 7 problems\n  site (line 1)");
                });
    }

    @Test
    void parse_missingRequiredKeys_reported() {
        assertThatThrownBy(() -> ControllerConfigLoader.parse("http:\n  port: 8081\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("site: required", "mqtt: required"));
        assertThatThrownBy(() -> ControllerConfigLoader.parse("site: a\nmqtt:\n  port: 1\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("mqtt.credentials-file: required"));
    }

    @Test
    void parse_wrongShapes_reported() {
        assertThatThrownBy(() -> ControllerConfigLoader.parse(
                "site: a\nmqtt: yes\nhttp:\n  port: eighty\n  bind: [a, b]\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "mqtt (line 2): must be a mapping of keys to values",
                        "http.port (line 4): 'eighty' is not a whole number",
                        "http.bind (line 5): must be a single value"));
    }

    @Test
    void parse_notYaml_reportsLine() {
        assertThatThrownBy(() -> ControllerConfigLoader.parse("site: a\nmqtt: [\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    assertThat(e.problems().get(0)).startsWith("(line ").contains("not valid YAML");
                });
        assertThatThrownBy(() -> ControllerConfigLoader.parse("site: a\nsite: b\n"))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.problems().get(0)).contains("Duplicate field 'site'"));
    }

    @Test
    void load_relativeCredentialsFile_resolvedAgainstConfigDirectory() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("headroom-config");
        Path file = dir.resolve("controller.yaml");
        java.nio.file.Files.writeString(file, "site: a\nmqtt:\n  credentials-file: creds/agents\n");

        assertThat(ControllerConfigLoader.load(file).mqtt().credentialsFile()).isEqualTo(dir.resolve("creds/agents"));
    }
}
