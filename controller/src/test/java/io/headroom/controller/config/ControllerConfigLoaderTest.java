package io.headroom.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.config.DataSize;
import io.headroom.controller.api.auth.ApiRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** controller.yaml through the shared binder: defaults, sizes, and every problem with file, line and path. */
class ControllerConfigLoaderTest {

    private static final Path BASE = Path.of("/etc/headroom");
    private static final String HTTP_OFF = "http:\n  tls:\n    mode: off\n";
    private static final String HASH = "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNo";

    private static ControllerConfig parse(String yaml) throws ConfigException {
        return ControllerConfigLoader.parse("controller.yaml", yaml, BASE);
    }

    private static List<String> problemsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void load_shippedExample_parses() throws Exception {
        ControllerConfig config = ControllerConfigLoader.load(Path.of("src/dist/controller.example.yaml"));

        assertThat(config.site()).isEqualTo("demo");
        assertThat(config.controllerId()).isEqualTo("controller-1");
        assertThat(config.history().metrics()).containsExactly("*");
        assertThat(config.mqtt())
                .isEqualTo(new ControllerConfig.Mqtt(
                        "127.0.0.1",
                        1883,
                        Path.of("/etc/headroom/credentials"),
                        DataSize.ofBytes(1_048_576),
                        Duration.ofSeconds(30),
                        10_000));
        assertThat(config.http().tls().mode()).isEqualTo(ControllerConfig.TlsMode.ON);
        assertThat(config.http().tls().certFile()).contains(Path.of("/etc/headroom/http.crt"));
        assertThat(config.http().users())
                .extracting(ControllerConfig.User::name, ControllerConfig.User::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("operator", ApiRole.OPERATOR));
        assertThat(config.http().maxConnections()).isEqualTo(1024);
        assertThat(config.lease()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/headroom"));
    }

    @Test
    void parse_mqttWithoutTls_refusedOnEveryAddress_plaintextMustBeWrittenAsModeOff() throws Exception {
        for (String bind : List.of("0.0.0.0", "127.0.0.1", "'::1'")) {
            assertThat(problemsOf("site: s1\nmqtt:\n  bind: " + bind + "\n  credentials-file: c\n" + HTTP_OFF))
                    .singleElement()
                    .asString()
                    .startsWith("controller.yaml:3: mqtt.tls: required")
                    .contains("tls: {mode: \"off\"} for plaintext MQTT", "mode: \"on\" with cert-file and key-file");
        }
        ControllerConfig config =
                parse("site: s1\nmqtt:\n  bind: 0.0.0.0\n  credentials-file: c\n  tls:\n    mode: off\n" + HTTP_OFF);
        assertThat(config.mqtt().tls()).contains(ControllerConfig.MqttTlsConfig.off());
    }

    @Test
    void parse_mqttTlsHasTheKeysAndRulesOfHttpTls_andTheOldKeysSayWhatReplacedThem() {
        assertThat(problemsOf("site: s1\nmqtt:\n  credentials-file: c\n  tls:\n    mode: on\n" + HTTP_OFF))
                .singleElement()
                .asString()
                .startsWith("controller.yaml:5: mqtt.tls.mode: on needs cert-file and key-file");
        assertThat(problemsOf("site: s1\nmqtt:\n  credentials-file: c\n  tls:\n    mode: off\n"
                        + "    cert-file: s.pem\n    key-file: s.key\n" + HTTP_OFF))
                .singleElement()
                .asString()
                .contains("mqtt.tls.mode", "mode: off, yet cert-file or key-file is set");
        assertThat(problemsOf("site: s1\nmqtt:\n  credentials-file: c\n  tls:\n    mode: off\n"
                        + "    require-client-certificate: true\n" + HTTP_OFF))
                .singleElement()
                .asString()
                .contains("mqtt.tls", "mode: off, yet client certificates are set up");
        assertThat(problemsOf("""
                        site: s1
                        mqtt:
                          credentials-file: c
                          plaintext: true
                          tls:
                            mode: on
                            certificate: s.pem
                            private-key: s.key
                            client-ca: ca.pem
                        """ + HTTP_OFF))
                .containsExactly(
                        "controller.yaml:4: mqtt.plaintext: replaced by tls: {mode: \"off\"} (D51: the rule of"
                                + " http.tls); in external mode the url's tcp:// or ssl:// says it",
                        "controller.yaml:6: mqtt.tls.mode: on needs cert-file and key-file",
                        "controller.yaml:7: mqtt.tls.certificate: replaced by cert-file (D51: the keys of http.tls)",
                        "controller.yaml:8: mqtt.tls.private-key: replaced by key-file (D51: the keys of http.tls)",
                        "controller.yaml:9: mqtt.tls.client-ca: replaced by client-ca-file (D51: the keys of http.tls)");
    }

    @Test
    void parse_tlsAndLimitsAndClockTolerance() throws Exception {
        ControllerConfig config = parse("""
                site: s1
                mqtt:
                  bind: 0.0.0.0
                  credentials-file: c
                  tls:
                    mode: "on"
                    cert-file: tls/server.pem
                    key-file: tls/server.key
                    client-ca-file: tls/agents-ca.pem
                    require-client-certificate: true
                  limits:
                    max-failed-logins: 5
                    penalty: 5m
                ingest:
                  clock-tolerance: 2s
                """ + HTTP_OFF);

        ControllerConfig.MqttTlsConfig tls = config.mqtt().tls().orElseThrow();
        assertThat(tls.mode()).isEqualTo(ControllerConfig.TlsMode.ON);
        assertThat(tls.certFile()).contains(BASE.resolve("tls/server.pem"));
        assertThat(tls.keyFile()).contains(BASE.resolve("tls/server.key"));
        assertThat(tls.clientCaFile()).contains(BASE.resolve("tls/agents-ca.pem"));
        assertThat(tls.requireClientCertificate()).isTrue();
        assertThat(config.mqtt().limits().maxFailedLogins()).isEqualTo(5);
        assertThat(config.mqtt().limits().penalty()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.mqtt().limits().maxPreAuthPerAddress()).isEqualTo(64);
        assertThat(config.ingest().clockTolerance()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void parse_overloadLimits_defaultsAsTheEndpointsOwn_setOnesBound_andAnInvertedBufferIsPlaced() throws Exception {
        MqttLimitsConfig defaults = parse("site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n" + HTTP_OFF)
                .mqtt()
                .limits();
        assertThat(defaults).isEqualTo(MqttLimitsConfig.defaults());
        assertThat(defaults.writeBufferHigh().bytes()).isEqualTo(64 * 1024);
        assertThat(defaults.unwritableTimeout()).isEqualTo(Duration.ofSeconds(30));

        MqttLimitsConfig set = parse("site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n  limits:\n"
                        + "    write-buffer-low: 128KiB\n    write-buffer-high: 1MiB\n    unwritable-timeout: 5s\n"
                        + "    observer-lane-capacity: 512\n    max-auth-in-flight-per-user: 3\n" + HTTP_OFF)
                .mqtt()
                .limits();
        assertThat(set.writeBufferLow().bytes()).isEqualTo(128 * 1024);
        assertThat(set.writeBufferHigh().bytes()).isEqualTo(1024 * 1024);
        assertThat(set.unwritableTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(set.observerLaneCapacity()).isEqualTo(512);
        assertThat(set.maxAuthInFlightPerUser()).isEqualTo(3);

        assertThat(problemsOf(
                        "site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n  limits:\n    write-buffer-low: 1MiB\n"
                                + "    write-buffer-high: 64KiB\n" + HTTP_OFF))
                .singleElement()
                .asString()
                .contains("mqtt.limits", "write-buffer-high", "is below write-buffer-low");
        assertThat(problemsOf(
                        "site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n  limits:\n    unwritable-timeout: 0s\n"
                                + HTTP_OFF))
                .singleElement()
                .asString()
                .contains("mqtt.limits.unwritable-timeout");
    }

    @Test
    void parse_gridSignal_absentByDefault_defaultsApply_andAFailSafePercentOutOfRangeIsPlaced() throws Exception {
        assertThat(parse("site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n" + HTTP_OFF)
                        .gridSignal())
                .isEmpty();

        ControllerConfig.GridSignalConfig defaults = parse(
                        "site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n" + HTTP_OFF
                                + "grid-signal:\n  enabled: true\n")
                .gridSignal()
                .orElseThrow();
        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.maxAge()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.timestampTolerance()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.failSafePercent()).isEmpty();

        ControllerConfig.GridSignalConfig set = parse(
                        "site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n" + HTTP_OFF
                                + "grid-signal:\n  enabled: true\n  max-age: 90s\n  fail-safe-percent: 35\n"
                                + "  timestamp-tolerance: 2s\n")
                .gridSignal()
                .orElseThrow();
        assertThat(set.policy().maxAge()).isEqualTo(Duration.ofSeconds(90));
        assertThat(set.policy().failSafePercent()).contains(35.0);
        assertThat(set.policy().timestampTolerance()).isEqualTo(Duration.ofSeconds(2));

        assertThat(problemsOf("site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n" + HTTP_OFF
                        + "grid-signal:\n  enabled: true\n  fail-safe-percent: 120\n"))
                .singleElement()
                .asString()
                .contains("grid-signal.fail-safe-percent", "120.0 is not within 0..100");
        assertThat(problemsOf("site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n" + HTTP_OFF
                        + "grid-signal:\n  max-age: 0s\n"))
                .singleElement()
                .asString()
                .contains("grid-signal.max-age");
    }

    @Test
    void parse_history_keepsEveryMetricByDefault_aListNarrowsIt_andAPatternWithABadCharacterIsPlaced()
            throws Exception {
        String base = "site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n" + HTTP_OFF;
        assertThat(parse(base).history()).isEqualTo(io.headroom.controller.history.HistorySettings.defaults());
        assertThat(parse(base).history().metrics()).containsExactly("*");

        var set = parse(base + "history:\n  metrics: [power, hashrate, \"temperature.*\"]\n")
                .history();
        assertThat(set.metrics()).containsExactly("power", "hashrate", "temperature.*");
        assertThat(set.filter().keeps("temperature.chip[board0]")).isTrue();
        assertThat(set.filter().keeps("fan.speed[1]")).isFalse();
        assertThat(parse(base + "history:\n  metrics: []\n").history().filter().keeps("power"))
                .isFalse();

        assertThat(problemsOf(base + "history:\n  metrics: [Power]\n"))
                .singleElement()
                .asString()
                .contains("history", "metrics", "'Power' has 'P'");
        assertThat(problemsOf(base + "history:\n  metric: [power]\n"))
                .singleElement()
                .asString()
                .contains("history", "metric", "metrics");
    }

    @Test
    void parse_clientCertificatesRequiredWithoutCa_refused() {
        assertThat(problemsOf("""
                        site: s1
                        mqtt:
                          credentials-file: c
                          tls:
                            mode: on
                            cert-file: s.pem
                            key-file: s.key
                            require-client-certificate: true
                        """ + HTTP_OFF))
                .singleElement()
                .asString()
                .contains("mqtt.tls.client-ca-file", "required when require-client-certificate is true");
    }

    @Test
    void parse_minimal_appliesDefaults() throws Exception {
        ControllerConfig config = parse("site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n" + HTTP_OFF);

        assertThat(config.controllerId()).isEqualTo("controller");
        assertThat(config.mqtt().port()).isEqualTo(1883);
        assertThat(config.mqtt().credentialsFile()).isEqualTo(BASE.resolve("c"));
        assertThat(config.mqtt().maxPacketBytes()).isEqualTo(1024 * 1024);
        assertThat(config.http()).isEqualTo(ControllerConfig.Http.plaintext("127.0.0.1", 8080, List.of()));
        assertThat(config.lease()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void parse_durationsSizesAndPortZero_accepted() throws Exception {
        ControllerConfig config =
                parse("site: s1\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n  port: 0\n  max-keep-alive: 2m\n"
                        + "  max-packet-size: 64KiB\nhttp:\n  port: 0\n  tls:\n    mode: off\nlease: 9500ms\n");

        assertThat(config.mqtt().port()).isZero();
        assertThat(config.mqtt().maxKeepAlive()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.mqtt().maxPacketBytes()).isEqualTo(64 * 1024);
        assertThat(config.http().port()).isZero();
        assertThat(config.lease()).isEqualTo(Duration.ofMillis(9500));
    }

    @Test
    void load_fileWithManyErrors_reportsEveryOneWithFileLineAndPath() throws Exception {
        Path file = Path.of(ControllerConfigLoaderTest.class
                .getResource("/config/many-errors.yaml")
                .toURI());

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ControllerConfigLoader.load(file));

        List<String> problems =
                e.problems().stream().map(ConfigProblem::toString).toList();
        assertThat(problems).hasSize(8);
        assertThat(problems.get(0)).startsWith(file + ":1: site:");
        assertThat(problems.get(1)).startsWith(file + ":4: mqtt.port:").contains("70000");
        assertThat(problems.get(2))
                .startsWith(file + ":6: mqtt.max-keep-alive:")
                .contains("30x");
        assertThat(problems.get(3))
                .startsWith(file + ":7: mqtt.max-packet-size:")
                .contains("12B");
        assertThat(problems.get(4)).startsWith(file + ":9: http.tls: required");
        assertThat(problems.get(5)).startsWith(file + ":10: http.prot:").contains("did you mean port?");
        assertThat(problems.get(6)).startsWith(file + ":11: lease:").contains("1s");
        assertThat(problems.get(7)).startsWith(file + ":12: colour:").contains("unknown key");
    }

    @Test
    void parse_missingRequiredKeys_reported() {
        assertThat(problemsOf("http:\n  port: 8081\n"))
                .anySatisfy(p -> assertThat(p).contains("site: required"))
                .anySatisfy(p -> assertThat(p).contains("mqtt: required"));
        assertThat(problemsOf("site: a\nmqtt:\n  port: 1\n" + HTTP_OFF))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("mqtt.credentials-file: required"));
    }

    @Test
    void parse_wrongShapesAndBareSizes_reported() {
        List<String> problems = problemsOf("site: a\nmqtt: yes\nhttp:\n  port: eighty\n  bind: [a, b]\n");

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("controller.yaml:2: mqtt:"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("controller.yaml:4: http.port:")
                        .contains("eighty"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("controller.yaml:5: http.bind:"));
        // A size without its unit is refused, never guessed to be bytes.
        assertThat(problemsOf("site: a\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n  max-packet-size: 1048576\n"
                        + HTTP_OFF))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("controller.yaml:5: mqtt.max-packet-size:"));
    }

    @Test
    void parse_notYamlOrDuplicateKey_reportsLine() {
        assertThat(problemsOf("site: a\nmqtt: [\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("controller.yaml:"));
        assertThat(problemsOf("site: a\nsite: b\n"))
                .singleElement()
                .satisfies(p ->
                        assertThat(p).startsWith("controller.yaml:2: site:").contains("duplicate"));
    }

    @Test
    void load_relativeCredentialsFile_resolvedAgainstConfigDirectory() throws Exception {
        Path dir = Files.createTempDirectory("headroom-config");
        Path file = dir.resolve("controller.yaml");
        Files.writeString(file, "site: a\nmqtt:\n  credentials-file: creds/agents\n  tls: {mode: off}\n" + HTTP_OFF);

        assertThat(ControllerConfigLoader.load(file).mqtt().credentialsFile()).isEqualTo(dir.resolve("creds/agents"));
    }

    @Test
    void parse_httpWithoutTls_refused_plaintextMustBeWritten() {
        assertThat(problemsOf("site: a\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("http: required"));
        assertThat(problemsOf("site: a\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\nhttp:\n  port: 1\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("controller.yaml:6: http.tls: required"));
        assertThat(problemsOf(
                        "site: a\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\nhttp:\n  tls:\n    mode: on\n"))
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .startsWith("controller.yaml:7: http.tls.mode:")
                        .contains("needs cert-file and key-file"));
        assertThat(problemsOf(
                        "site: a\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\nhttp:\n  tls:\n    mode: maybe\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("controller.yaml:7: http.tls.mode:"));
    }

    @Test
    void parse_users_badHashRoleAndDuplicates_reportedAtTheirLines() throws Exception {
        String head = "site: a\nmqtt:\n  credentials-file: c\n  tls: {mode: off}\n" + HTTP_OFF + "  users:\n";
        ControllerConfig good = parse(head + "    - {name: olga, role: operator, password-hash: \"" + HASH + "\"}\n"
                + "    - {name: vera, role: viewer, password-hash: \"" + HASH + "\"}\n");
        assertThat(good.http().users())
                .extracting(ControllerConfig.User::role)
                .containsExactly(ApiRole.OPERATOR, ApiRole.VIEWER);

        assertThat(problemsOf(head + "    - {name: olga, role: operator, password-hash: hunter2}\n"))
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .startsWith("controller.yaml:9: http.users[0].password-hash:")
                        .contains("expected pbkdf2-sha256$"));
        assertThat(problemsOf(head + "    - {name: olga, role: superuser, password-hash: \"" + HASH + "\"}\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("controller.yaml:9: http.users[0].role:"));
        assertThat(problemsOf(head + "    - {name: olga, role: admin, password-hash: \"" + HASH + "\"}\n"
                        + "    - {name: olga, role: viewer, password-hash: \"" + HASH + "\"}\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("'olga' is listed twice"));
        assertThat(problemsOf(head + "    - {name: \"o l\", role: admin, password-hash: \"" + HASH + "\"}\n"))
                .singleElement()
                .satisfies(p -> assertThat(p).startsWith("controller.yaml:9: http.users[0].name:"));
    }
}
