package io.headroom.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.cgminer.CgminerSettings;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.config.SecretRef;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * agent.yaml through the real binder, drivers and profiles: defaults, the driver block bound by its
 * driver, buses, and every problem of a file reported at once with file, line and path.
 */
class AgentConfigLoaderTest {

    private static final Path BASE = Path.of("/etc/headroom");

    private static String resource(String name) throws IOException {
        try (var in = AgentConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static AgentConfig parse(String yaml) throws ConfigException {
        return AgentConfigLoader.parse("agent.yaml", yaml, BASE, TestDevices.DRIVERS, TestDevices.PROFILES);
    }

    private static List<String> problemsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void load_shippedExample_parses() throws Exception {
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        Path example = Path.of(base, "src/dist/agent.example.yaml");

        AgentConfig config = AgentConfigLoader.load(example);

        assertThat(config.agentId()).isEqualTo("rack-a1");
        assertThat(config.devices()).extracting(DeviceConfig::id).containsExactly("miner-001", "miner-002");
        assertThat(config.devices().get(1).pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.mqtt().password())
                .isEqualTo(
                        new SecretRef.File(example.toAbsolutePath().getParent().resolve("rack-a1.password")));
    }

    @Test
    void parse_minimalFile_appliesEveryDefault() throws Exception {
        AgentConfig config = parse(resource("minimal.yaml"));

        assertThat(config.mqtt().url()).isEqualTo(URI.create("tcp://127.0.0.1:1883"));
        assertThat(config.mqtt().password()).isEqualTo(new SecretRef.File(BASE.resolve("secrets/a1.password")));
        assertThat(config.mqtt().keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.mqtt().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.mqtt().reconnectMin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.mqtt().reconnectMax()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.publish()).isEqualTo(PublishSettings.defaults());
        assertThat(config.commands()).isEqualTo(CommandSettings.defaults());
        assertThat(config.metrics()).isEqualTo(MetricsSettings.defaults());
        assertThat(config.buses()).isEmpty();
        DeviceConfig device = config.devices().get(0);
        assertThat(device.driver()).isEqualTo("cgminer");
        assertThat(device.settings()).isEqualTo(new CgminerSettings("10.0.0.11", Optional.empty()));
        assertThat(device.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(device.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(device.credentials()).isEmpty();
        assertThat(device.origin().line()).isEqualTo(7);
    }

    @Test
    void parse_fileWithManyProblems_reportsEveryOneWithFileLineAndPath() throws Exception {
        List<String> problems = problemsOf(resource("many-problems.yaml"));

        assertThat(problems)
                .anySatisfy(
                        p -> assertThat(p)
                                .isEqualTo(
                                        "agent.yaml:2: site: 'Demo Site' contains ' '; allowed are letters, digits, '.', '_' and '-'"));
        assertThat(problems).hasSize(12);
        assertThat(problems)
                .anySatisfy(p ->
                        assertThat(p).startsWith("agent.yaml:4: mqtt.password:").contains("never written inline"));
        assertThat(problems)
                .anySatisfy(p ->
                        assertThat(p).startsWith("agent.yaml:5: mqtt.urll:").contains("did you mean url?"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("agent.yaml:6: mqtt.keep-alive:"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("agent.yaml:8: publish.max-unacked:"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("agent.yaml:14: devices[0].cgminer.port:")
                        .contains("70000"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("agent.yaml:17: devices[1].profile:")
                        .contains("unknown profile 'braiins/bosminer'")
                        .contains("luxor/luxos"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("agent.yaml:19: devices[2].id:")
                        .contains("duplicate id 'miner-001' (first at line 10)"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("agent.yaml:22: devices[2].timeout:")
                        .contains("must not exceed poll-interval"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("agent.yaml:23: devices[3].cgminer:")
                        .contains("required"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("agent.yaml:28: devices[4].hots:")
                        .contains("unknown key"));
        // mqtt.url is missing (urll is a typo): required, reported at the mqtt mapping.
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("mqtt.url: required"));
    }

    @Test
    void parse_blockOfAnotherDriver_isNamedAsSuch() {
        String yaml = """
                agent-id: a1
                site: s1
                mqtt: {url: tcp://127.0.0.1:1883, password: {file: p}}
                devices:
                  - id: m1
                    profile: luxor/luxos
                    snmp: {host: 10.0.0.1}
                """;

        assertThat(problemsOf(yaml))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("agent.yaml:7: devices[0].snmp:")
                        .contains("is for the cgminer driver, so this device's block is cgminer:, not snmp:"));
        assertThat(problemsOf(yaml)).anySatisfy(p -> assertThat(p).contains("devices[0].cgminer: required"));
    }

    @Test
    void parse_buses_boundAndCheckedForDuplicates() throws Exception {
        String yaml = """
                agent-id: a1
                site: s1
                mqtt: {url: tcp://127.0.0.1:1883, password: {credential: mqtt-password}}
                buses:
                  - {id: rs485-a, port: /dev/ttyUSB0, baud: 19200, parity: none, stop-bits: 2}
                  - {id: rs485-b, port: /dev/ttyUSB1}
                devices: []
                """;

        AgentConfig config = parse(yaml);

        assertThat(config.mqtt().password()).isEqualTo(new SecretRef.Credential("mqtt-password"));
        BusConfig a = config.buses().get("rs485-a");
        assertThat(a.baud()).isEqualTo(19_200);
        assertThat(a.parity()).isEqualTo(BusConfig.Parity.NONE);
        assertThat(a.stopBits()).isEqualTo(2);
        BusConfig b = config.buses().get("rs485-b");
        assertThat(b.baud()).isEqualTo(9600);
        assertThat(b.parity()).isEqualTo(BusConfig.Parity.EVEN);

        List<String> problems = problemsOf(yaml.replace("id: rs485-b", "id: rs485-a"));
        assertThat(problems)
                .anySatisfy(p ->
                        assertThat(p).startsWith("agent.yaml:6: buses[1].id:").contains("duplicate bus id 'rs485-a'"));
    }

    @Test
    void parse_badBusValues_areRefusedWithTheirPath() {
        String yaml = """
                agent-id: a1
                site: s1
                mqtt: {url: tcp://127.0.0.1:1883, password: {file: p}}
                buses:
                  - {id: rs485-a, port: /dev/ttyUSB0, parity: mark, baud: 12}
                devices: []
                """;

        List<String> problems = problemsOf(yaml);

        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("agent.yaml:5: buses[0].parity:")
                        .contains("none, even, odd"));
        assertThat(problems)
                .anySatisfy(p ->
                        assertThat(p).startsWith("agent.yaml:5: buses[0].baud:").contains("300"));
    }

    @Test
    void parse_notYaml_isOneProblemWithItsLine() {
        assertThat(problemsOf("agent-id: a1\nsite: [unclosed\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("agent.yaml:"));
    }

    @Test
    void parse_webSocketUrls_areRefused() throws Exception {
        for (String url : List.of("ws://127.0.0.1:8080/mqtt", "wss://127.0.0.1:8443/mqtt")) {
            String yaml = resource("minimal.yaml").replace("tcp://127.0.0.1:1883", url);
            assertThat(problemsOf(yaml))
                    .singleElement()
                    .satisfies(p ->
                            assertThat(p).startsWith("agent.yaml:4: mqtt.url:").contains("WebSocket is not supported"));
        }
    }

    @Test
    void parse_allFourSchemes_accepted_tlsFollowsTheScheme() throws Exception {
        for (String url : List.of("tcp://h:1883", "mqtt://h:1883", "ssl://h:8883", "mqtts://h:8883")) {
            MqttSettings mqtt = parse(resource("minimal.yaml").replace("tcp://127.0.0.1:1883", url))
                    .mqtt();
            assertThat(mqtt.url()).isEqualTo(URI.create(url));
            assertThat(mqtt.usesTls()).as(url).isEqualTo(url.startsWith("ssl") || url.startsWith("mqtts"));
            assertThat(mqtt.tls()).as("no block").isEmpty();
        }
    }

    private static String withTls(String url, String tlsBlock) throws IOException {
        return resource("minimal.yaml")
                .replace("tcp://127.0.0.1:1883", url)
                .replace(
                        "  password: {file: secrets/a1.password}\n",
                        "  password: {file: secrets/a1.password}\n  tls:\n" + tlsBlock);
    }

    @Test
    void parse_tlsBlock_pathsResolveAgainstBaseDir() throws Exception {
        String yaml = withTls(
                "mqtts://broker.example:8883",
                "    ca-file: tls/ca.pem\n    cert-file: tls/a1.pem\n    key-file: /run/credentials/a1.key\n");

        TlsSettings tls = parse(yaml).mqtt().tls().orElseThrow();

        assertThat(tls)
                .isEqualTo(new TlsSettings(
                        Optional.of(Path.of("/etc/headroom/tls/ca.pem")),
                        Optional.of(Path.of("/etc/headroom/tls/a1.pem")),
                        Optional.of(Path.of("/run/credentials/a1.key"))));
        assertThat(tls.hasClientCertificate()).isTrue();
    }

    @Test
    void parse_tlsBlockWithPlaintextUrl_isRefusedNotIgnored() throws Exception {
        for (String url : List.of("tcp://127.0.0.1:1883", "mqtt://127.0.0.1:1883")) {
            assertThat(problemsOf(withTls(url, "    ca-file: ca.pem\n")))
                    .singleElement()
                    .satisfies(p -> assertThat(p)
                            .startsWith("agent.yaml:6: mqtt.tls:")
                            .contains("(plaintext); use ssl:// or mqtts://"));
        }
    }

    @Test
    void parse_tlsCertWithoutKey_andUnknownKey_reported() throws Exception {
        List<String> problems =
                problemsOf(withTls("ssl://127.0.0.1:8883", "    cert-file: a1.pem\n    ca-cert: ca.pem\n"));

        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("agent.yaml:7: mqtt.tls.cert-file:")
                        .contains("go together"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("agent.yaml:8: mqtt.tls.ca-cert:")
                        .contains("unknown key")
                        .contains("ca-file"));
    }

    @Test
    void parse_profileAuto_takesTheDriverOfItsBlock() throws Exception {
        String yaml = """
                agent-id: a1
                site: s1
                mqtt: {url: tcp://127.0.0.1:1883, password: {file: p}}
                devices:
                  - {id: m1, profile: auto, cgminer: {host: 10.0.0.1}}
                """;

        DeviceConfig device = parse(yaml).devices().get(0);

        assertThat(device.isAuto()).isTrue();
        assertThat(device.driver()).isEqualTo("cgminer");
        assertThat(device.settings()).isEqualTo(new CgminerSettings("10.0.0.1", Optional.empty()));
    }

    @Test
    void parse_profileAuto_withoutOrWithTwoBlocks_orADriverThatCannotIdentify_isRefused() {
        String head = """
                agent-id: a1
                site: s1
                mqtt: {url: tcp://127.0.0.1:1883, password: {file: p}}
                devices:
                """;

        assertThat(problemsOf(head + "  - {id: m1, profile: auto}\n"))
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .startsWith("agent.yaml:5: devices[0].profile:")
                        .contains("auto needs exactly one driver block"));
        assertThat(problemsOf(head + "  - {id: m1, profile: auto, cgminer: {host: a}, snmp: {host: a}}\n"))
                .anySatisfy(p -> assertThat(p)
                        .contains("auto needs exactly one driver block")
                        .contains("found cgminer, snmp"));
        assertThat(problemsOf(head + "  - {id: m1, profile: auto, snmp: {host: a, community: {file: c}}}\n"))
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .contains("the snmp driver cannot identify devices")
                        .contains("apc/rpdu2"));
    }
}
