package io.headroom.config;

import static io.headroom.config.Yaml.bind;
import static io.headroom.config.Yaml.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How problems are found, worded and placed: every one at once, each at its own file, line and path. */
class ConfigBinderProblemsTest {

    enum Version {
        @ConfigValue("1")
        V1,
        @ConfigValue("2c")
        V2C,
        @ConfigValue("3")
        V3
    }

    record Snmp(
            Version version,
            @Default("public") String community,
            @Default("161") @Range(min = "1", max = "65535") int port) {}

    record Device(
            String id,
            String host,

            @Default("10s") @Range(min = "100ms", max = "1h")
            Duration pollInterval,

            @Default("2s") Duration timeout,
            Optional<Snmp> snmp) {
        Device {
            if (timeout.compareTo(pollInterval) > 0) {
                throw new IllegalArgumentException("timeout: " + Durations.format(timeout)
                        + " must not exceed poll-interval " + Durations.format(pollInterval));
            }
            if (id.equals(host)) {
                throw new IllegalArgumentException("id and host must differ");
            }
        }
    }

    record Mqtt(
            URI url,
            SecretRef password,
            @Default("30s") Duration keepAlive,
            @Default("false") boolean tls) {
        Mqtt {
            if (!url.getScheme().equals("tcp") && !url.getScheme().equals("ssl")) {
                throw new IllegalArgumentException("url: '" + url + "' must start with tcp:// or ssl://");
            }
        }
    }

    record Agent(
            String agentId,
            Mqtt mqtt,
            List<Device> devices,
            @Default("64MiB") DataSize outbox) {
        Agent {
            Set<String> ids = new HashSet<>();
            for (Device d : devices) {
                if (!ids.add(d.id())) {
                    throw new IllegalArgumentException("devices: device id '" + d.id() + "' is used twice");
                }
            }
            if (devices.isEmpty()) {
                throw new IllegalArgumentException("an agent needs at least one device");
            }
        }
    }

    @Test
    void bind_fileWithManyProblems_reportsEveryOneInLineOrder() {
        List<String> problems = problems(
                Agent.class,
                "agent-id: rack-a1",
                "mqtt:",
                "  keep-alive: 30",
                "  tls: yes",
                "  pasword: {file: pw}",
                "devices:",
                "  - id: pdu-1",
                "    host: 10.0.0.5",
                "    pol-interval: 5s",
                "    snmp:",
                "      version: 4",
                "      port: 70000",
                "  - id: pdu-2",
                "    host: 10.0.0.6",
                "    poll-interval: 10s",
                "    timeout: 20s",
                "  - host: 10.0.0.7",
                "    poll-interval: 50ms",
                "outbox: 64",
                "color: blue");

        assertThat(problems)
                .containsExactly(
                        "agent.yaml:3: mqtt.url: required",
                        "agent.yaml:3: mqtt.password: required",
                        "agent.yaml:3: mqtt.keep-alive: '30' has no unit; write a unit: 500ms, 10s, 2m, 1h, 1d",
                        "agent.yaml:4: mqtt.tls: expected true or false, found 'yes'; write true or false (in lower case):"
                                + " yes/no/on/off are not booleans here",
                        "agent.yaml:5: mqtt.pasword: unknown key; did you mean password?",
                        "agent.yaml:9: devices[0].pol-interval: unknown key; did you mean poll-interval?",
                        "agent.yaml:11: devices[0].snmp.version: must be one of 1, 2c, 3",
                        "agent.yaml:12: devices[0].snmp.port: 70000 is outside 1..65535",
                        "agent.yaml:16: devices[1].timeout: 20s must not exceed poll-interval 10s",
                        "agent.yaml:17: devices[2].id: required",
                        "agent.yaml:18: devices[2].poll-interval: 50ms is outside 100ms..1h",
                        "agent.yaml:19: outbox: '64' has no unit; write a unit: B, KiB, MiB, GiB, TiB (powers of 1024) or"
                                + " kB, MB, GB, TB (powers of 1000)",
                        "agent.yaml:20: color: unknown key; expected one of agent-id, mqtt, devices, outbox");
    }

    @Replaced(key = "plaintext", by = "tls: {mode: \"off\"}")
    @Replaced(key = "certificate", by = "cert-file")
    record Listener(String bind, @Default("false") boolean tls) {}

    @Test
    void bind_aReplacedKey_saysWhatToWriteInstead_andOtherUnknownKeysStayUnknown() {
        assertThat(problems(Listener.class, "bind: 0.0.0.0", "plaintext: true", "certificate: a.pem", "plain: x"))
                .containsExactly(
                        "agent.yaml:2: plaintext: replaced by tls: {mode: \"off\"}",
                        "agent.yaml:3: certificate: replaced by cert-file",
                        "agent.yaml:4: plain: unknown key; expected one of bind, tls");
    }

    @Test
    void bind_goodFile_bindsEverything() throws Exception {
        Agent agent = bind(
                Agent.class,
                "agent-id: rack-a1",
                "mqtt:",
                "  url: ssl://broker:8883",
                "  password: {credential: mqtt-password}",
                "devices:",
                "  - id: pdu-1",
                "    host: 10.0.0.5",
                "    snmp: {version: 2c}");

        assertThat(agent)
                .isEqualTo(new Agent(
                        "rack-a1",
                        new Mqtt(
                                URI.create("ssl://broker:8883"),
                                new SecretRef.Credential("mqtt-password"),
                                Duration.ofSeconds(30),
                                false),
                        List.of(new Device(
                                "pdu-1",
                                "10.0.0.5",
                                Duration.ofSeconds(10),
                                Duration.ofSeconds(2),
                                Optional.of(new Snmp(Version.V2C, "public", 161)))),
                        DataSize.ofBytes(64L << 20)));
    }

    @Test
    void bind_problems_areAlsoTheExceptionMessage() {
        assertThatThrownBy(() -> bind(Snmp.class, "version: 4", "port: 0"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "agent.yaml:1: version: must be one of 1, 2c, 3\nagent.yaml:2: port: 0 is outside 1..65535");
    }

    @Test
    void bind_explicitNullOnRequiredKey_isRequiredAtThatLine() {
        assertThat(problems(Snmp.class, "community: x", "version:")).containsExactly("agent.yaml:2: version: required");
        assertThat(problems(Snmp.class, "community: x", "version: ~"))
                .containsExactly("agent.yaml:2: version: required");
    }

    @Test
    void bind_missingRequiredKey_isAtTheParentMappingWithTheKeysPath() {
        record Outer(String name, Snmp snmp) {}

        assertThat(problems(Outer.class, "name: x", "snmp:", "  community: c"))
                .containsExactly("agent.yaml:3: snmp.version: required");
    }

    @Test
    void constructorRefusal_namingAKey_isPlacedAtThatKey() {
        assertThat(problems(Mqtt.class, "password: {file: pw}", "url: http://broker", "tls: true"))
                .containsExactly("agent.yaml:2: url: 'http://broker' must start with tcp:// or ssl://");
    }

    @Test
    void constructorRefusal_namingADefaultedKey_isAtTheMappingWithTheKeysPath() {
        assertThat(problems(Device.class, "id: a", "host: b", "poll-interval: 1s"))
                .containsExactly("agent.yaml:1: timeout: 2s must not exceed poll-interval 1s");
    }

    @Test
    void constructorRefusal_withoutAKey_isAtTheRecordsMapping() {
        record Site(List<Device> devices) {}

        assertThat(problems(Site.class, "devices:", "  - id: same", "    host: same"))
                .containsExactly("agent.yaml:2: devices[0]: id and host must differ");
        assertThat(problems(Agent.class, "agent-id: a", "mqtt: {url: 'tcp://b', password: {file: p}}", "devices: []"))
                .containsExactly("agent.yaml:1: an agent needs at least one device");
    }

    @Test
    void constructorRefusal_ofAListKey_isAtThatKey() {
        assertThat(problems(
                        Agent.class,
                        "agent-id: a",
                        "mqtt: {url: 'tcp://b', password: {file: p}}",
                        "devices:",
                        "  - {id: x, host: h1}",
                        "  - {id: x, host: h2}"))
                .containsExactly("agent.yaml:3: devices: device id 'x' is used twice");
    }

    record Checked(Optional<String> note, @Default("false") boolean needsNote) {
        Checked {
            if (needsNote) {
                Objects.requireNonNull(note.orElse(null), "note: is needed when needs-note is true");
            }
        }
    }

    @Test
    void constructorNullPointer_withAMessage_isAProblemToo() {
        assertThat(problems(Checked.class, "needs-note: true"))
                .containsExactly("agent.yaml:1: note: is needed when needs-note is true");
    }

    record ByJavaName(@Default("1") int maxKeepAlive) {
        ByJavaName {
            if (maxKeepAlive > 5) {
                throw new IllegalArgumentException("maxKeepAlive: at most 5");
            }
        }
    }

    @Test
    void constructorRefusal_namingTheJavaComponent_isPlacedAtItsKey() {
        assertThat(problems(ByJavaName.class, "max-keep-alive: 6"))
                .containsExactly("agent.yaml:1: max-keep-alive: at most 5");
    }

    static final AtomicInteger CONSTRUCTED = new AtomicInteger();

    record Counted(int a, int b) {
        Counted {
            CONSTRUCTED.incrementAndGet();
        }
    }

    @Test
    void constructor_isNotCalledWhenAComponentFailed() throws Exception {
        CONSTRUCTED.set(0);
        assertThat(problems(Counted.class, "a: x", "b: 2")).hasSize(1);
        assertThat(CONSTRUCTED).hasValue(0);

        bind(Counted.class, "a: 1", "b: 2");
        assertThat(CONSTRUCTED).hasValue(1);
    }

    record Thrower(int a) {
        Thrower {
            if (a == 13) {
                throw new IllegalStateException("unlucky bug");
            }
        }
    }

    @Test
    void constructorBug_otherThanIllegalArgument_propagates() {
        assertThatThrownBy(() -> bind(Thrower.class, "a: 13"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("unlucky bug");
    }

    @Test
    void unknownKey_suggestsTheClosestKey() {
        assertThat(problems(Device.class, "id: a", "host: b", "pollInterval: 5s"))
                .containsExactly("agent.yaml:3: pollInterval: unknown key; did you mean poll-interval?");
        assertThat(problems(Device.class, "id: a", "host: b", "poll: 5s"))
                .containsExactly("agent.yaml:3: poll: unknown key; did you mean poll-interval?");
        assertThat(problems(Device.class, "id: a", "host: b", "tiemout: 5s"))
                .containsExactly("agent.yaml:3: tiemout: unknown key; did you mean timeout?");
        assertThat(problems(Device.class, "id: a", "host: b", "colour: red"))
                .containsExactly("agent.yaml:3: colour: unknown key; expected one of id, host, poll-interval, timeout,"
                        + " snmp");
    }

    @Test
    void unknownKey_inARecordWithoutComponents() {
        record Empty() {}

        assertThat(problems(Empty.class, "a: 1"))
                .containsExactly("agent.yaml:1: a: unknown key; this mapping takes" + " no keys");
    }

    @Test
    void problemsOfSeveralSteps_sortByFileThenLine() throws Exception {
        ConfigBinder binder = new ConfigBinder(Yaml.BASE);
        Problems problems = new Problems();
        binder.bind(ConfigDocuments.parse("b.yaml", "version: 9\n"), Snmp.class, problems);
        binder.bind(ConfigDocuments.parse("a.yaml", "\n\nversion: 9\n"), Snmp.class, problems);
        binder.bind(ConfigDocuments.parse("a.yaml", "version: 9\n"), Snmp.class, problems);

        assertThat(problems.list())
                .extracting(ConfigProblem::toString)
                .containsExactly(
                        "a.yaml:1: version: must be one of 1, 2c, 3",
                        "a.yaml:3: version: must be one of 1, 2c, 3",
                        "b.yaml:1: version: must be one of 1, 2c, 3");
    }
}
