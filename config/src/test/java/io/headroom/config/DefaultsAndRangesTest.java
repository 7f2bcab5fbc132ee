package io.headroom.config;

import static io.headroom.config.Yaml.bind;
import static io.headroom.config.Yaml.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Default} fills absent keys by the rules of written values; {@link Range} bounds values. */
class DefaultsAndRangesTest {

    enum Mode {
        FAST,
        SAFE
    }

    record Defaults(
            @Default("4028") int port,
            @Default("true") boolean enabled,
            @Default("0.5") double ratio,
            @Default("safe") Mode mode,
            @Default("5s") Duration timeout,
            @Default("1KiB") DataSize buffer,
            @Default("keys/agent.pem") Path key,
            @Default("[a, b]") List<String> tags,
            @Default("headroom") String name,
            @Default("7") Optional<Integer> retries) {}

    @Test
    void absentKeys_takeTheirDefaults() throws Exception {
        assertThat(bind(Defaults.class, "{}"))
                .isEqualTo(new Defaults(
                        4028,
                        true,
                        0.5,
                        Mode.SAFE,
                        Duration.ofSeconds(5),
                        DataSize.ofBytes(1024),
                        Path.of("/etc/headroom/keys/agent.pem"),
                        List.of("a", "b"),
                        "headroom",
                        Optional.of(7)));
    }

    @Test
    void explicitNull_takesTheDefaultToo() throws Exception {
        assertThat(bind(Defaults.class, "port:", "name: ~").port()).isEqualTo(4028);
        assertThat(bind(Defaults.class, "name: ~").name()).isEqualTo("headroom");
    }

    @Test
    void writtenValues_winOverDefaults() throws Exception {
        Defaults d = bind(Defaults.class, "port: 1", "enabled: false", "tags: []", "retries: 0");

        assertThat(d.port()).isEqualTo(1);
        assertThat(d.enabled()).isFalse();
        assertThat(d.tags()).isEmpty();
        assertThat(d.retries()).contains(0);
    }

    @Test
    void pathDefault_resolvesAgainstTheBindersBaseDirectory() throws Exception {
        Defaults d = new ConfigBinder(Path.of("/srv/site")).bind(Yaml.parse("{}"), Defaults.class);

        assertThat(d.key()).isEqualTo(Path.of("/srv/site/keys/agent.pem"));
    }

    record BadDefault(@Default("soon") Duration timeout) {}

    @Test
    void defaultThatDoesNotParse_isAProgrammingError() {
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> bind(BadDefault.class, "{}"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("BadDefault.timeout: @Default(\"soon\") does not bind as java.time.Duration: 'soon' is"
                            + " not a duration; write a unit: 500ms, 10s, 2m, 1h, 1d");
        }
    }

    record Holder(Optional<BadDefault> inner) {}

    @Test
    void brokenNestedRecord_failsEvenWhenItsKeyIsAbsent() {
        assertThatThrownBy(() -> bind(Holder.class, "{}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("BadDefault.timeout: @Default(\"soon\")");
    }

    record DefaultOutsideRange(
            @Default("0") @Range(min = "1") int port) {}

    @Test
    void defaultOutsideItsRange_isAProgrammingError() {
        assertThatThrownBy(() -> bind(DefaultOutsideRange.class, "port: 5"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("DefaultOutsideRange.port: @Default(\"0\") does not bind as int: 0 is below the minimum 1");
    }

    record Ranges(
            @Range(min = "1") Optional<Integer> atLeastOne,
            @Range(max = "10") long atMostTen,
            @Range(min = "0.0", max = "1.0") double fraction,
            @Range(min = "1s", max = "2m") Duration window,
            @Range(max = "1MiB") DataSize frame) {}

    @Test
    void ranges_acceptTheBoundsThemselves() throws Exception {
        Ranges r = bind(
                Ranges.class, "at-least-one: 1", "at-most-ten: 10", "fraction: 1", "window: 120s", "frame: 1024KiB");

        assertThat(r).isEqualTo(new Ranges(Optional.of(1), 10, 1.0, Duration.ofMinutes(2), DataSize.ofBytes(1 << 20)));
    }

    @Test
    void ranges_refuseValuesOutside_quotingTheValueAsWritten() {
        assertThat(problems(
                        Ranges.class,
                        "at-least-one: 0",
                        "at-most-ten: 11",
                        "fraction: 1.5",
                        "window: 500ms",
                        "frame: 2MB"))
                .containsExactly(
                        "agent.yaml:1: at-least-one: 0 is below the minimum 1",
                        "agent.yaml:2: at-most-ten: 11 is above the maximum 10",
                        "agent.yaml:3: fraction: 1.5 is outside 0.0..1.0",
                        "agent.yaml:4: window: 500ms is outside 1s..2m",
                        "agent.yaml:5: frame: 2MB is above the maximum 1MiB");
    }

    @Test
    void ranges_boundsAreWrittenInTheCanonicalUnit() {
        record Window(@Range(min = "1000ms", max = "3600s") Duration window) {}

        assertThat(problems(Window.class, "window: 2h")).containsExactly("agent.yaml:1: window: 2h is outside 1s..1h");
    }

    record RangeOnText(@Range(min = "1") String name) {}

    record BadBound(@Range(min = "one") int port) {}

    record UnsupportedFloat(float ratio) {}

    record UnsupportedSet(java.util.Set<String> names) {}

    record IntegerKeys(java.util.Map<Integer, String> names) {}

    record SameKey(String url, @Key("url") String address) {}

    record TwoOthers(
            @OtherKeys java.util.Map<String, ConfigNode> a,
            @OtherKeys java.util.Map<String, ConfigNode> b) {}

    record OthersOfStrings(@OtherKeys java.util.Map<String, String> a) {}

    @Test
    void brokenRecords_failWithTheRecordAndComponentNamed() {
        assertThatThrownBy(() -> bind(RangeOnText.class, "name: x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("RangeOnText.name: @Range applies to int, long, double, Duration and DataSize, not"
                        + " java.lang.String");
        assertThatThrownBy(() -> bind(BadBound.class, "port: 1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("BadBound.port: @Range(min = \"one\") does not parse: expected a number, found 'one'");
        assertThatThrownBy(() -> bind(UnsupportedFloat.class, "ratio: 1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("UnsupportedFloat.ratio: the config binder does not bind float; use String,");
        assertThatThrownBy(() -> bind(UnsupportedSet.class, "names: []"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("UnsupportedSet.names: the config binder does not bind java.util.Set<");
        assertThatThrownBy(() -> bind(IntegerKeys.class, "names: {}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("IntegerKeys.names: a Map's keys must be String, not java.lang.Integer");
        assertThatThrownBy(() -> bind(SameKey.class, "url: x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("SameKey.address: key 'url' is also the key of SameKey.url");
        assertThatThrownBy(() -> bind(TwoOthers.class, "x: 1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("TwoOthers.b: only one component may be @OtherKeys, TwoOthers.a already is");
        assertThatThrownBy(() -> bind(OthersOfStrings.class, "x: 1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("OthersOfStrings.a: @OtherKeys needs Map<String, ConfigNode>, not"
                        + " java.util.Map<java.lang.String, java.lang.String>");
    }
}
