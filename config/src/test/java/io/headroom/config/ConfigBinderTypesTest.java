package io.headroom.config;

import static io.headroom.config.Yaml.bind;
import static io.headroom.config.Yaml.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every type the binder knows, bound from good YAML, and refused with the type's own wording. */
class ConfigBinderTypesTest {

    enum Role {
        GPU_SERVER,
        MINER,
        @ConfigValue("2c")
        V2C
    }

    record Scalars(
            String name,
            int port,
            long counter,
            double ratio,
            boolean enabled,
            Integer boxed,
            Role role,
            Duration pollInterval,
            DataSize buffer,
            URI url,
            Path caFile) {}

    record Point(String name, @Key("oid") String objectId) {}

    record Nested(
            List<List<Integer>> matrix,
            Map<String, List<Point>> groups,
            Optional<Point> extra,
            List<Point> points,
            Map<String, Duration> timeouts,
            ConfigNode raw) {}

    record OneInt(int port) {}

    record OneBool(boolean enabled) {}

    record OneDouble(double ratio) {}

    record OneLong(long counter) {}

    record OneRole(Role role) {}

    record OneUri(URI url) {}

    record OneDuration(Duration timeout) {}

    record OnePoint(Point point) {}

    record OneList(List<String> names) {}

    record OneMap(Map<String, Integer> weights) {}

    record Optionals(
            Optional<String> label, Optional<Duration> timeout, List<String> tags, Map<String, String> labels) {}

    @Test
    void bind_everyScalarType() throws Exception {
        Scalars s = bind(
                Scalars.class,
                "name: rack-a1",
                "port: 4028",
                "counter: -9000000000",
                "ratio: 0.75",
                "enabled: true",
                "boxed: 7",
                "role: gpu-server",
                "poll-interval: 500ms",
                "buffer: 16MiB",
                "url: tcp://broker.example:1883",
                "ca-file: certs/../ca.pem");

        assertThat(s)
                .isEqualTo(new Scalars(
                        "rack-a1",
                        4028,
                        -9_000_000_000L,
                        0.75,
                        true,
                        7,
                        Role.GPU_SERVER,
                        Duration.ofMillis(500),
                        DataSize.ofBytes(16L << 20),
                        URI.create("tcp://broker.example:1883"),
                        Path.of("/etc/headroom/ca.pem")));
    }

    @Test
    void bind_stringKeepsNumbersAndWordsAsWritten() throws Exception {
        record Text(String a, String b, String c, String d) {}

        assertThat(bind(Text.class, "a: 0123", "b: yes", "c: '8080'", "d: 2c"))
                .isEqualTo(new Text("0123", "yes", "8080", "2c"));
    }

    @Test
    void bind_enumByConfigValue() throws Exception {
        assertThat(bind(OneRole.class, "role: 2c").role()).isEqualTo(Role.V2C);
        assertThat(problems(OneRole.class, "role: GPU_SERVER"))
                .containsExactly("agent.yaml:1: role: must be one of gpu-server, miner, 2c");
    }

    @Test
    void bind_doubleAcceptsIntegersAndExponents() throws Exception {
        assertThat(bind(OneDouble.class, "ratio: 2").ratio()).isEqualTo(2.0);
        assertThat(bind(OneDouble.class, "ratio: -1.5e3").ratio()).isEqualTo(-1500.0);
    }

    @Test
    void bind_numbers_refusedWithTheirReason() {
        assertThat(problems(OneInt.class, "port: \"8080\""))
                .containsExactly("agent.yaml:1: port: expected a number, found the string '8080'");
        assertThat(problems(OneInt.class, "port: 1.5"))
                .containsExactly("agent.yaml:1: port: expected a whole number, found 1.5");
        assertThat(problems(OneInt.class, "port: 0x1F"))
                .containsExactly("agent.yaml:1: port: expected a number, found '0x1F'");
        assertThat(problems(OneInt.class, "port: 2147483648"))
                .containsExactly("agent.yaml:1: port: 2147483648 is outside -2147483648..2147483647");
        assertThat(problems(OneLong.class, "counter: 9223372036854775808"))
                .containsExactly("agent.yaml:1: counter: 9223372036854775808 is outside "
                        + "-9223372036854775808..9223372036854775807");
        assertThat(problems(OneDouble.class, "ratio: .nan"))
                .containsExactly("agent.yaml:1: ratio: expected a finite number, found .nan");
        assertThat(problems(OneDouble.class, "ratio: -.inf"))
                .containsExactly("agent.yaml:1: ratio: expected a finite number, found -.inf");
        assertThat(problems(OneDouble.class, "ratio: 1e999"))
                .containsExactly("agent.yaml:1: ratio: expected a finite number, found 1e999");
        assertThat(problems(OneDouble.class, "ratio: '0.5'"))
                .containsExactly("agent.yaml:1: ratio: expected a number, found the string '0.5'");
    }

    @Test
    void bind_booleans_onlyTrueAndFalse() throws Exception {
        assertThat(bind(OneBool.class, "enabled: false").enabled()).isFalse();
        for (String word : List.of("yes", "no", "on", "off", "True", "FALSE", "y")) {
            assertThat(problems(OneBool.class, "enabled: " + word))
                    .containsExactly("agent.yaml:1: enabled: expected "
                            + "true or false, found '" + word
                            + "'; write true or false (in lower case): yes/no/on/off are"
                            + " not booleans here");
        }
        assertThat(problems(OneBool.class, "enabled: \"true\""))
                .containsExactly("agent.yaml:1: enabled: expected true or false, found the string 'true'");
        assertThat(problems(OneBool.class, "enabled: 1"))
                .containsExactly("agent.yaml:1: enabled: expected true or false, found '1'");
    }

    @Test
    void bind_uri_mustParseAndBeAbsolute() {
        assertThat(problems(OneUri.class, "url: broker:1883/x y"))
                .containsExactly("agent.yaml:1: url: 'broker:1883/x y' is not a URI: Illegal character in opaque part"
                        + " at index 13");
        assertThat(problems(OneUri.class, "url: //broker:1883"))
                .containsExactly("agent.yaml:1: url: '//broker:1883' is not an absolute URI; write it with its"
                        + " scheme, e.g. tcp://broker.example:1883");
    }

    @Test
    void bind_duration_refusedAtItsLine() {
        assertThat(problems(OneDuration.class, "timeout: 500"))
                .containsExactly("agent.yaml:1: timeout: '500' has no unit; write a unit: 500ms, 10s, 2m, 1h, 1d");
        assertThat(problems(OneDuration.class, "timeout: -5s"))
                .containsExactly("agent.yaml:1: timeout: a duration cannot be negative: '-5s'");
    }

    @Test
    void bind_nestedGenerics() throws Exception {
        Nested n = bind(
                Nested.class,
                "matrix: [[1, 2], [], [3]]",
                "groups:",
                "  pdus:",
                "    - {name: inlet, oid: 1.3.6.1.4.1}",
                "  empty: []",
                "extra: {name: x, oid: '1'}",
                "points:",
                "  - name: a",
                "    oid: '2'",
                "timeouts: {snmp: 2s, modbus: 1m}",
                "raw:",
                "  anything: [goes, here]");

        assertThat(n.matrix()).containsExactly(List.of(1, 2), List.of(), List.of(3));
        assertThat(n.groups()).containsOnlyKeys("pdus", "empty");
        assertThat(n.groups().get("pdus")).containsExactly(new Point("inlet", "1.3.6.1.4.1"));
        assertThat(n.extra()).contains(new Point("x", "1"));
        assertThat(n.points()).containsExactly(new Point("a", "2"));
        assertThat(n.timeouts())
                .containsExactly(Map.entry("snmp", Duration.ofSeconds(2)), Map.entry("modbus", Duration.ofMinutes(1)));
        assertThat(n.raw().origin()).isEqualTo(new ConfigNode.Origin("agent.yaml", 12, "raw"));
    }

    @Test
    void bind_mapsKeepDocumentOrder() throws Exception {
        OneMap m = bind(OneMap.class, "weights:", "  zeta: 1", "  alpha: 2", "  mid: 3");

        assertThat(m.weights().keySet()).containsExactly("zeta", "alpha", "mid");
    }

    @Test
    void bind_absentOptionalListAndMap_areEmpty() throws Exception {
        record Holder(String name, Optionals inner) {}

        assertThat(bind(Holder.class, "name: x", "inner: {}").inner())
                .isEqualTo(new Optionals(Optional.empty(), Optional.empty(), List.of(), Map.of()));
    }

    @Test
    void bind_explicitNullOnOptional_isEmpty() throws Exception {
        assertThat(bind(Optionals.class, "label:", "timeout: ~").label()).isEmpty();
    }

    @Test
    void bind_presentOptional_isBound() throws Exception {
        Optionals o = bind(Optionals.class, "label: main", "timeout: 2m", "tags: [a, b]", "labels: {k: v}");

        assertThat(o)
                .isEqualTo(new Optionals(
                        Optional.of("main"), Optional.of(Duration.ofMinutes(2)), List.of("a", "b"), Map.of("k", "v")));
    }

    @Test
    void bind_shapeMismatch_namesBothShapes() {
        assertThat(problems(OnePoint.class, "point: [a, b]"))
                .containsExactly("agent.yaml:1: point: expected a mapping, found a list");
        assertThat(problems(OnePoint.class, "point: inlet"))
                .containsExactly("agent.yaml:1: point: expected a mapping, found a value");
        assertThat(problems(OneList.class, "names: {a: 1}"))
                .containsExactly("agent.yaml:1: names: expected a list, found a mapping");
        assertThat(problems(OneList.class, "names: a"))
                .containsExactly("agent.yaml:1: names: expected a list, found a value");
        assertThat(problems(OneInt.class, "port: [1]"))
                .containsExactly("agent.yaml:1: port: expected a whole number, found a list");
        assertThat(problems(OneMap.class, "weights: [1]"))
                .containsExactly("agent.yaml:1: weights: expected a mapping, found a list");
    }

    @Test
    void bind_nullListItem_isAProblemAtTheItem() {
        assertThat(problems(OneList.class, "names:", "  - a", "  -", "  - c"))
                .containsExactly("agent.yaml:3: names[1]: expected a value, found nothing");
    }

    @Test
    void bind_rootThatIsNotAMapping_isRefused() {
        assertThat(problems(OneInt.class, "- 1", "- 2"))
                .containsExactly("agent.yaml:1: expected a mapping, found a list");
    }

    @Test
    void bindValue_bindsAnyTypeAndReturnsNullOnProblem() throws Exception {
        ConfigBinder binder = new ConfigBinder(Yaml.BASE);
        Problems problems = new Problems();
        ConfigNode root = Yaml.parse("a: {name: x, oid: '1'}", "b: {name: y}");
        java.lang.reflect.Type weights = OneMap.class.getRecordComponents()[0].getGenericType(); // Map<String, Integer>

        Object good =
                binder.bindValue(((ConfigNode.Mapping) root).entries().get("a").value(), Point.class, problems);
        Object bad = binder.bindValue(root, weights, problems);

        assertThat(good).isEqualTo(new Point("x", "1"));
        assertThat(bad).isNull();
        assertThat(problems.list())
                .extracting(ConfigProblem::toString)
                .containsExactly(
                        "agent.yaml:1: a: expected a whole number, found a mapping",
                        "agent.yaml:2: b: expected a whole number, found a mapping");
    }

    @Test
    void bindValue_duration() {
        Problems problems = new Problems();

        Object value = new ConfigBinder(Yaml.BASE).bindValue(Yaml.parse("t: 1d"), OneDuration.class, problems);
        Object duration = new ConfigBinder(Yaml.BASE)
                .bindValue(
                        ((ConfigNode.Mapping) Yaml.parse("t: 1d"))
                                .entries()
                                .get("t")
                                .value(),
                        Duration.class,
                        problems);

        assertThat(value).isNull();
        assertThat(duration).isEqualTo(Duration.ofDays(1));
        assertThat(problems.list())
                .extracting(ConfigProblem::toString)
                .containsExactly(
                        "agent.yaml:1: timeout: required", "agent.yaml:1: t: unknown key; expected one of timeout");
    }
}
