package io.headroom.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.protocol.Topics;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {

    private static final Path BASE = Path.of("/etc/headroom");

    private static String resource(String name) throws IOException {
        try (var in = AgentConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ConfigException problemsOf(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> AgentConfigLoader.parse(yaml, BASE));
    }

    @Test
    void load_shippedExample_parses() throws Exception {
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        Path example = Path.of(base, "src/dist/agent.example.yaml");

        AgentConfig config = AgentConfigLoader.load(example);

        assertThat(config.agentId()).isEqualTo("rack-a1");
        assertThat(config.devices()).extracting(DeviceConfig::id).containsExactly("miner-001", "miner-002");
        assertThat(config.devices().get(1).pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.mqtt().passwordFile()).isEqualTo(example.toAbsolutePath().getParent().resolve("rack-a1.password"));
    }

    @Test
    void parse_minimalFile_appliesEveryDefault() throws Exception {
        AgentConfig config = AgentConfigLoader.parse(resource("minimal.yaml"), BASE);

        assertThat(config.mqtt().url()).isEqualTo(URI.create("tcp://127.0.0.1:1883"));
        assertThat(config.mqtt().keepAlive()).isEqualTo(ConfigDefaults.MQTT_KEEP_ALIVE).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.mqtt().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.mqtt().reconnectMin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.mqtt().reconnectMax()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.publish().batchInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.publish().fullRefreshInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.publish().maxUnacked()).isEqualTo(10_000);
        assertThat(config.commands().clockSkewTolerance()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.metrics()).isEqualTo(new MetricsSettings("127.0.0.1", 9467));
        DeviceConfig device = config.devices().get(0);
        assertThat(device.port()).isEqualTo(4028);
        assertThat(device.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(device.timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void parse_relativePasswordFile_resolvesAgainstBaseDir() throws Exception {
        AgentConfig config = AgentConfigLoader.parse(resource("minimal.yaml"), BASE);
        assertThat(config.mqtt().passwordFile()).isEqualTo(Path.of("/etc/headroom/secrets/a1.password"));
    }

    @Test
    void parse_absolutePasswordFile_staysAbsolute() throws Exception {
        String yaml = resource("minimal.yaml").replace("secrets/a1.password", "/run/credentials/a1");
        assertThat(AgentConfigLoader.parse(yaml, BASE).mqtt().passwordFile()).isEqualTo(Path.of("/run/credentials/a1"));
    }

    @Test
    void parse_devicesDefaultsSection_appliesToDevicesWithoutOverride() throws Exception {
        String yaml = resource("minimal.yaml").replace("devices:", "defaults:\n  poll-interval: 500ms\n  timeout: 200ms\ndevices:");
        DeviceConfig device = AgentConfigLoader.parse(yaml, BASE).devices().get(0);
        assertThat(device.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(device.timeout()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void parse_fileWithManyProblems_reportsEveryOneWithPathAndLine() throws Exception {
        ConfigException e = problemsOf(resource("many-problems.yaml"));

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "site (line 2): 'Demo Site' " + Topics.idProblem("Demo Site"),
                "mqtt.urll (line 5): unknown key; known keys: url, password-file, keep-alive, connect-timeout, reconnect-min, reconnect-max, tls",
                "mqtt.url (line 3): missing required key",
                "mqtt.keep-alive (line 6): '30 seconds' is not a duration; use e.g. 500ms, 10s, 2m, 1h",
                "publish.max-unacked (line 8): 0 is outside 1..2147483647",
                "devices[0].port (line 13): 70000 is outside 1..65535",
                "devices[1].profile (line 16): unknown profile 'braiins/bosminer'; known: luxor/luxos, antminer/bmminer",
                "devices[2].id (line 18): duplicate id 'miner-001' (first at line 10)",
                "devices[2].timeout (line 21): 10s must not exceed poll-interval 5s",
                "devices[3].host (line 22): missing required key");
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
    }

    @Test
    void parse_metricsSection_bindAndPort_portZeroAllowed() throws Exception {
        String yaml = resource("minimal.yaml").replace("devices:\n", "metrics:\n  bind: 0.0.0.0\n  port: 0\ndevices:\n");

        assertThat(AgentConfigLoader.parse(yaml, BASE).metrics()).isEqualTo(new MetricsSettings("0.0.0.0", 0));
    }

    @Test
    void parse_metricsSection_badValues_reportedWithLines() throws Exception {
        String yaml = resource("minimal.yaml").replace("devices:\n",
                "metrics:\n  bind: 'not a host'\n  port: 70000\n  path: /m\ndevices:\n");

        assertThat(problemsOf(yaml).problems()).containsExactlyInAnyOrder(
                "metrics.bind (line 7): 'not a host' is not a host name or address",
                "metrics.port (line 8): 70000 is outside 0..65535",
                "metrics.path (line 9): unknown key; known keys: bind, port");
    }

    @Test
    void parse_reconnectMinAboveMax_isReported() throws Exception {
        String yaml = resource("minimal.yaml").replace("  password-file", "  reconnect-min: 2m\n  reconnect-max: 1m\n  password-file");
        assertThat(problemsOf(yaml).problems()).containsExactly(
                "mqtt.reconnect-min (line 5): 2m must not exceed reconnect-max 1m");
    }

    @Test
    void parse_wrongUrlScheme_isReported() throws Exception {
        String yaml = resource("minimal.yaml").replace("tcp://127.0.0.1:1883", "http://127.0.0.1");
        assertThat(problemsOf(yaml).problems()).containsExactly(
                "mqtt.url (line 4): 'http://127.0.0.1' must start with tcp:// or mqtt:// (plaintext), ssl:// or mqtts:// (TLS)");
    }

    @Test
    void parse_webSocketUrls_areRefused() throws Exception {
        for (String url : List.of("ws://127.0.0.1:8080/mqtt", "wss://127.0.0.1:8443/mqtt")) {
            String yaml = resource("minimal.yaml").replace("tcp://127.0.0.1:1883", url);
            assertThat(problemsOf(yaml).problems()).containsExactly("mqtt.url (line 4): '" + url
                    + "': MQTT over WebSocket is not supported; use tcp:// or mqtt:// (plaintext), ssl:// or mqtts:// (TLS)");
        }
    }

    @Test
    void parse_allFourSchemes_accepted_tlsFollowsTheScheme() throws Exception {
        for (String url : List.of("tcp://h:1883", "mqtt://h:1883", "ssl://h:8883", "mqtts://h:8883")) {
            MqttSettings mqtt = AgentConfigLoader.parse(resource("minimal.yaml").replace("tcp://127.0.0.1:1883", url),
                    BASE).mqtt();
            assertThat(mqtt.url()).isEqualTo(URI.create(url));
            assertThat(mqtt.usesTls()).as(url).isEqualTo(url.startsWith("ssl") || url.startsWith("mqtts"));
            assertThat(mqtt.tls()).as("no block").isEmpty();
        }
    }

    @Test
    void parse_tlsBlock_pathsResolveAgainstBaseDir() throws Exception {
        String yaml = resource("minimal.yaml").replace("tcp://127.0.0.1:1883", "mqtts://broker.example:8883")
                .replace("  password-file: secrets/a1.password\n", "  password-file: secrets/a1.password\n  tls:\n"
                        + "    ca-file: tls/ca.pem\n    cert-file: tls/a1.pem\n    key-file: /run/credentials/a1.key\n");

        TlsSettings tls = AgentConfigLoader.parse(yaml, BASE).mqtt().tls().orElseThrow();

        assertThat(tls).isEqualTo(new TlsSettings(Optional.of(Path.of("/etc/headroom/tls/ca.pem")),
                Optional.of(Path.of("/etc/headroom/tls/a1.pem")), Optional.of(Path.of("/run/credentials/a1.key"))));
    }

    @Test
    void parse_tlsBlockWithOnlyCaFile_noClientCertificate() throws Exception {
        String yaml = resource("minimal.yaml").replace("tcp://127.0.0.1:1883", "ssl://127.0.0.1:8883")
                .replace("  password-file: secrets/a1.password\n", "  password-file: secrets/a1.password\n  tls:\n"
                        + "    ca-file: ca.pem\n");

        TlsSettings tls = AgentConfigLoader.parse(yaml, BASE).mqtt().tls().orElseThrow();

        assertThat(tls.caFile()).contains(Path.of("/etc/headroom/ca.pem"));
        assertThat(tls.hasClientCertificate()).isFalse();
    }

    @Test
    void parse_tlsBlockWithPlaintextUrl_isRefusedNotIgnored() throws Exception {
        for (String url : List.of("tcp://127.0.0.1:1883", "mqtt://127.0.0.1:1883")) {
            String yaml = resource("minimal.yaml").replace("tcp://127.0.0.1:1883", url).replace(
                    "  password-file: secrets/a1.password\n", "  password-file: secrets/a1.password\n  tls:\n"
                            + "    ca-file: ca.pem\n");

            assertThat(problemsOf(yaml).problems()).containsExactly(
                    "mqtt.tls (line 6): is set but url is " + url + " (plaintext); use ssl:// or mqtts://");
        }
    }

    @Test
    void parse_tlsCertWithoutKey_andUnknownKey_reported() throws Exception {
        String yaml = resource("minimal.yaml").replace("tcp://127.0.0.1:1883", "ssl://127.0.0.1:8883")
                .replace("  password-file: secrets/a1.password\n", "  password-file: secrets/a1.password\n  tls:\n"
                        + "    cert-file: a1.pem\n    ca-cert: ca.pem\n");

        assertThat(problemsOf(yaml).problems()).containsExactlyInAnyOrder(
                "mqtt.tls.key-file (line 7): missing: cert-file is set, and the two go together",
                "mqtt.tls.ca-cert (line 8): unknown key; known keys: ca-file, cert-file, key-file");
    }

    @Test
    void parse_tlsEmptyPath_reported() throws Exception {
        String yaml = resource("minimal.yaml").replace("tcp://127.0.0.1:1883", "ssl://127.0.0.1:8883")
                .replace("  password-file: secrets/a1.password\n", "  password-file: secrets/a1.password\n  tls:\n"
                        + "    ca-file: ''\n");

        assertThat(problemsOf(yaml).problems()).containsExactly("mqtt.tls.ca-file (line 7): must not be empty");
    }

    @Test
    void parse_sectionOfWrongShape_isReported() throws Exception {
        String yaml = resource("minimal.yaml").replace("devices:\n", "publish: 5\ndevices:\n");
        assertThat(problemsOf(yaml).problems()).containsExactly("publish (line 6): expected a mapping, found a value");
    }

    @Test
    void parse_duplicateKey_isReported() throws Exception {
        String yaml = resource("minimal.yaml").replace("site: demo\n", "site: demo\nsite: other\n");
        assertThat(problemsOf(yaml).problems()).containsExactly("site (line 3): duplicate key (first at line 2)");
    }

    @Test
    void parse_zeroDuration_isReported() throws Exception {
        String yaml = resource("minimal.yaml").replace("    host: 10.0.0.11", "    host: 10.0.0.11\n    poll-interval: 0s");
        assertThat(problemsOf(yaml).problems()).containsExactly("devices[0].poll-interval (line 10): must be greater than zero");
    }

    @Test
    void parse_invalidYaml_reportsLine() {
        ConfigException e = problemsOf("agent-id: a\nsite: [unclosed\nmqtt: {}\n");
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0)).contains("not valid YAML").containsPattern("\\(line [34]\\)");
    }

    @Test
    void parse_emptyDocument_isOneProblem() {
        assertThat(problemsOf("").problems()).containsExactly(
                "(line 1): the document must be a mapping with agent-id, site, mqtt and devices");
    }

    @Test
    void parseDuration_units() {
        assertThat(AgentConfigLoader.parseDuration("500ms")).contains(Duration.ofMillis(500));
        assertThat(AgentConfigLoader.parseDuration("10s")).contains(Duration.ofSeconds(10));
        assertThat(AgentConfigLoader.parseDuration("2m")).contains(Duration.ofMinutes(2));
        assertThat(AgentConfigLoader.parseDuration("1h")).contains(Duration.ofHours(1));
        assertThat(AgentConfigLoader.parseDuration("10")).isEmpty();
        assertThat(AgentConfigLoader.parseDuration("-1s")).isEmpty();
        assertThat(AgentConfigLoader.parseDuration("1.5s")).isEmpty();
    }

    @Test
    void load_missingFile_throwsIOException(@TempDir Path dir) {
        assertThatThrownBy(() -> AgentConfigLoader.load(dir.resolve("absent.yaml"))).isInstanceOf(IOException.class);
    }

    @Test
    void load_file_resolvesPasswordNextToIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, resource("minimal.yaml"));
        assertThat(AgentConfigLoader.load(file).mqtt().passwordFile())
                .isEqualTo(dir.toAbsolutePath().resolve("secrets/a1.password"));
    }
}
