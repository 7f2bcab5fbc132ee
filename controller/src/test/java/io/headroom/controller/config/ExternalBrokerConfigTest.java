package io.headroom.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.config.SecretRef;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** mqtt.mode and mqtt.external through the shared binder: defaults, and each mistake named where it is. */
class ExternalBrokerConfigTest {

    private static final Path BASE = Path.of("/etc/headroom");
    private static final String HTTP_OFF = "http:\n  tls:\n    mode: off\n";

    private static ControllerConfig parse(String yaml) throws ConfigException {
        return ControllerConfigLoader.parse("controller.yaml", yaml, BASE);
    }

    private static List<String> problemsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    private static String external(String block) {
        return "site: s1\nmqtt:\n  mode: external\n  credentials-file: credentials\n  external:\n" + block + HTTP_OFF;
    }

    @Test
    void parse_withoutMode_isEmbeddedAsBefore() throws Exception {
        ControllerConfig config = parse("site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n" + HTTP_OFF);
        assertThat(config.mqtt().mode()).isEqualTo(MqttMode.EMBEDDED);
        assertThat(config.mqtt().external()).isEmpty();
    }

    @Test
    void parse_external_bindsEveryKeyWithDefaults_andPathsRelativeToTheFile() throws Exception {
        ControllerConfig config = parse(external("""
                    url: ssl://broker.site.example:8883
                    username: headroom-controller
                    password: {file: controller.password}
                    tls:
                      ca-file: broker-ca.pem
                    shared-group: controllers
                """));
        ExternalBrokerConfig broker = config.mqtt().external().orElseThrow();
        assertThat(config.mqtt().mode()).isEqualTo(MqttMode.EXTERNAL);
        assertThat(broker.url()).isEqualTo(URI.create("ssl://broker.site.example:8883"));
        assertThat(broker.pahoUrl()).isEqualTo("ssl://broker.site.example:8883");
        assertThat(broker.username()).isEqualTo("headroom-controller");
        assertThat(broker.password()).isEqualTo(new SecretRef.File(BASE.resolve("controller.password")));
        assertThat(broker.tls().orElseThrow().caFile()).contains(BASE.resolve("broker-ca.pem"));
        assertThat(broker.sharedGroup()).contains("controllers");
        assertThat(broker.clientId()).isEmpty();
        assertThat(broker.sessionExpiry()).isEqualTo(Duration.ofMinutes(5));
        assertThat(broker.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(broker.reconnectMin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(broker.reconnectMax()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void parse_mqttsWithoutPort_isSslOn8883ForPaho() throws Exception {
        ControllerConfig config = parse(external("""
                    url: mqtts://broker.site.example
                    username: c
                    password: {credential: broker-password}
                """));
        assertThat(config.mqtt().external().orElseThrow().pahoUrl()).isEqualTo("ssl://broker.site.example:8883");
    }

    @Test
    void parse_modeExternalWithoutBlock_refusedNamingTheBlock() {
        assertThat(problemsOf("site: s1\nmqtt:\n  mode: external\n  credentials-file: c\n" + HTTP_OFF))
                .singleElement()
                .asString()
                .contains("mqtt.external", "mode is external");
    }

    @Test
    void parse_blockWithoutModeExternal_refused() {
        assertThat(problemsOf("""
                        site: s1
                        mqtt:
                          credentials-file: c
                          external:
                            url: tcp://127.0.0.1:1883
                            username: c
                            password: {file: p}
                        """ + HTTP_OFF))
                .singleElement()
                .asString()
                .contains("mqtt.external", "write mode: external");
    }

    @Test
    void parse_wrongKeyInBlock_refusedWithTheNearestKey() {
        assertThat(problemsOf(external("""
                    url: tcp://127.0.0.1:1883
                    username: c
                    password: {file: p}
                    shared-grop: g
                """))).singleElement().asString().contains("shared-grop", "shared-group");
    }

    @Test
    void parse_inlinePassword_refused() {
        assertThat(problemsOf(external("""
                    url: tcp://127.0.0.1:1883
                    username: c
                    password: hunter2
                """))).singleElement().asString().contains("mqtt.external.password");
    }

    @Test
    void parse_plaintextToAnotherHost_isTheUrlsWrittenChoice_theOldFlagIsNamed_andAnEndpointTlsBlockRefused()
            throws Exception {
        String block = """
                    url: tcp://broker.site.example:1883
                    username: c
                    password: {file: p}
                """;
        ExternalBrokerConfig broker = parse(external(block)).mqtt().external().orElseThrow();
        assertThat(broker.plaintextBeyondLoopback()).isTrue();
        assertThat(parse(external(block.replace("tcp://broker.site.example", "tcp://127.0.0.1")))
                        .mqtt()
                        .external()
                        .orElseThrow()
                        .plaintextBeyondLoopback())
                .isFalse();
        assertThat(parse(external(block.replace("tcp://", "ssl://")))
                        .mqtt()
                        .external()
                        .orElseThrow()
                        .plaintextBeyondLoopback())
                .isFalse();

        assertThat(problemsOf(external(block).replace("  mode: external\n", "  mode: external\n  plaintext: true\n")))
                .singleElement()
                .asString()
                .startsWith("controller.yaml:4: mqtt.plaintext: replaced by tls: {mode: \"off\"}")
                .contains("in external mode the url's tcp:// or ssl:// says it");
        assertThat(problemsOf(external(block).replace("  mode: external\n", "  mode: external\n  tls: {mode: off}\n")))
                .singleElement()
                .asString()
                .contains("mqtt.tls", "not started in external mode", "external.tls");
    }

    @Test
    void parse_badValues_eachPlacedAtItsKey() {
        assertThat(problemsOf(external("""
                    url: ws://127.0.0.1:1883
                    username: c
                    password: {file: p}
                """))).singleElement().asString().contains("mqtt.external.url", "tcp://");
        assertThat(problemsOf(external("""
                    url: tcp://127.0.0.1:1883
                    username: c
                    password: {file: p}
                    shared-group: a/b
                """))).singleElement().asString().contains("mqtt.external.shared-group");
        assertThat(problemsOf(external("""
                    url: tcp://127.0.0.1:1883
                    username: c
                    password: {file: p}
                    tls:
                      ca-file: ca.pem
                """))).singleElement().asString().contains("mqtt.external.tls", "plaintext");
        assertThat(problemsOf(external("""
                    url: tcp://127.0.0.1:1883
                    username: c
                    password: {file: p}
                    keep-alive: 1500ms
                """)))
                .singleElement()
                .asString()
                .contains("mqtt.external.keep-alive", "whole seconds");
    }

    @Test
    void parse_clientCertificate_bothFilesRelativeToTheFile_orOneWithoutTheOtherRefused() throws Exception {
        ExternalBrokerConfig.BrokerTls tls =
                parse(external("""
                    url: ssl://broker.site.example:8883
                    username: c
                    password: {file: p}
                    tls:
                      ca-file: ca.pem
                      cert-file: controller.pem
                      key-file: controller.key
                """)).mqtt().external().orElseThrow().tls().orElseThrow();
        assertThat(tls.certFile()).contains(BASE.resolve("controller.pem"));
        assertThat(tls.keyFile()).contains(BASE.resolve("controller.key"));
        assertThat(problemsOf(external("""
                    url: ssl://broker.site.example:8883
                    username: c
                    password: {file: p}
                    tls:
                      cert-file: controller.pem
                """)))
                .singleElement()
                .asString()
                .contains("mqtt.external.tls", "key-file: required with cert-file");
        assertThat(problemsOf(external("""
                    url: ssl://broker.site.example:8883
                    username: c
                    password: {file: p}
                    tls:
                      key-file: controller.key
                """)))
                .singleElement()
                .asString()
                .contains("mqtt.external.tls", "cert-file: required with key-file");
    }

    @Test
    void record_clientIdWithSpaces_refused() {
        IllegalArgumentException e = catchThrowableOfType(
                IllegalArgumentException.class,
                () -> new ExternalBrokerConfig(
                        URI.create("tcp://127.0.0.1:1883"),
                        Optional.of("two words"),
                        "c",
                        new SecretRef.File(Path.of("p")),
                        Optional.empty(),
                        Optional.empty(),
                        Duration.ZERO,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30)));
        assertThat(e).hasMessageContaining("client-id");
    }
}
