package io.headroom.agent.driver.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.agent.driver.DriverRegistry;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.profiles.ProfileCatalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the cgminer factory refuses in a profile's points:, each at its own file, line and path. */
class CgminerDriverFactoryTest {

    private static final String PROFILE = """
            id: acme/m1
            vendor: acme
            models: [Acme M1]
            description: Acme M1
            driver: cgminer
            kind: miner
            nameplate: {power-watts: 3000}
            match: [{command: version, path: "VERSION[0].Acme", pattern: ".+"}]
            capabilities:
              sleep: {read-back: {metric: mode, expect: sleep}}
              set-power-target: {unit: W, range: {min: 1000, max: 3000}, read-back: {metric: power.target, tolerance: 10}}
            points:
              reads: [stats, version]
              controls:
                set-power-target: {command: powerset, parameter: "3000"}
                reboot: {command: restart}
            """;

    private static List<String> problems(String yaml) throws ConfigException {
        ProfileCatalog catalog = ProfileCatalog.load(Map.of("profiles/acme/m1.yaml", yaml));
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> DriverRegistry.of(new CgminerDriverFactory()).compile(catalog));
        assertThat(e).as("expected the profile to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void controlsThatDoNotFitTheCapabilities_areRefusedAtTheirKeys() throws Exception {
        List<String> problems = problems(PROFILE);

        assertThat(problems)
                .contains("profiles/acme/m1.yaml:14: points.controls: capability sleep has no control saying what"
                        + " to send")
                .contains("profiles/acme/m1.yaml:15: points.controls.set-power-target: takes a value, but its"
                        + " parameter has neither {value} nor {preset}")
                .contains("profiles/acme/m1.yaml:15: points.controls.set-power-target: is read back from"
                        + " power.target, which has no device-total field mapping")
                .contains("profiles/acme/m1.yaml:16: points.controls.reboot: not a capability of this profile;"
                        + " declare it under capabilities or remove it");
    }

    @Test
    void matchRuleReadingACommandNoPollSends_isRefused() throws Exception {
        String yaml = PROFILE.replace("reads: [stats, version]", "reads: [stats]");

        assertThat(problems(yaml))
                .anySatisfy(p -> assertThat(p)
                        .isEqualTo("profiles/acme/m1.yaml:13: points.reads: match: version is not one of these reads"));
    }

    private static final String PRESETS = """
            id: acme/m1
            vendor: acme
            models: [Acme M1]
            description: Acme M1
            driver: cgminer
            kind: miner
            nameplate: {power-watts: 3000}
            match: [{command: version, path: "VERSION[0].Acme", pattern: ".+"}]
            capabilities:
              set-power-target: {unit: W, range: {min: 1000, max: 3000}, read-back: {metric: power.target, tolerance: 10}}
              locate-on: {}
            points:
              reads: [estats, version]
              BOARD
              PRESETS
              controls:
                set-power-target: {command: ascset, parameter: "0,worklevel,set,{preset}"}
                locate-on: {command: ascset, parameter: "0,led,1-1", confirm: {key: Led, expect: "1"}}
            """;

    private static String presets(String board, String presets) {
        return PRESETS.replace("BOARD", board).replace("PRESETS", presets);
    }

    @Test
    void avalonProfile_withDeclaredPresets_compiles() throws Exception {
        String yaml = presets(
                "board-stats: avalon\n  avalon: {work-modes: {\"1\": normal}}",
                "power-presets: {declared: [{name: \"0\", watts: 1200}, {name: \"1\", watts: 2400}]}");
        ProfileCatalog catalog = ProfileCatalog.load(Map.of("profiles/acme/m1.yaml", yaml));

        DriverRegistry.of(new CgminerDriverFactory()).compile(catalog);
    }

    @Test
    void presetPlaceholder_withoutPresets_andConfirm_withoutTheAvalonDecoder_areRefused() throws Exception {
        String base = presets("fields: []", "session: {logon: logon, logoff: logoff, id-path: x}");
        String noConfirm = base.replace(", confirm: {key: Led, expect: \"1\"}", "");
        String noPreset = base.replace("0,worklevel,set,{preset}", "0,worklevel,set,{value}");

        assertThat(problems(noConfirm))
                .anySatisfy(p -> assertThat(p).contains("uses {preset}, but there is no power-presets section"));
        assertThat(problems(noPreset))
                .anySatisfy(
                        p -> assertThat(p).contains("locate-on confirms a status key, which needs the avalon section"));
    }

    @Test
    void avalonDecoder_withoutItsSection_isRefused() throws Exception {
        List<String> problems =
                problems(presets("board-stats: avalon", "power-presets: {declared: [{name: \"0\", watts: 1200}]}"));

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("avalon: required with board-stats: avalon"));
    }

    @Test
    void presets_bothDeclaredAndRead_orWithDuplicateNames_areRefused() throws Exception {
        String both = presets(
                "board-stats: avalon\n  avalon: {work-modes: {}}",
                "power-presets: {declared: [{name: a, watts: 1200}], command: estats, list-path: X, name-key: n,"
                        + " watts-key: w, active-command: estats, active-path: Y}");
        String duplicate = presets(
                "board-stats: avalon\n  avalon: {work-modes: {}}",
                "power-presets: {declared: [{name: a, watts: 1200}, {name: a, watts: 1300}]}");

        assertThat(problems(both)).anySatisfy(p -> assertThat(p).contains("not both or neither"));
        assertThat(problems(duplicate)).anySatisfy(p -> assertThat(p).contains("preset names must be unique"));
    }

    @Test
    void presetControl_withAModeReadBack_isRefused() throws Exception {
        String yaml = presets(
                        "board-stats: avalon\n  avalon: {work-modes: {}}",
                        "power-presets: {declared: [{name: \"0\", watts: 1200}]}")
                .replace(
                        "read-back: {metric: power.target, tolerance: 10}", "read-back: {metric: mode, expect: sleep}");

        assertThat(problems(yaml))
                .anySatisfy(p -> assertThat(p).contains("sets a preset, so the capability needs a value read-back"));
    }

    @Test
    void unknownPlaceholder_isRefusedNamingTheKnownOnes() throws Exception {
        String yaml = presets(
                        "board-stats: avalon\n  avalon: {work-modes: {}}",
                        "power-presets: {declared: [{name: \"0\", watts: 1200}]}")
                .replace("0,led,1-1", "{when}");

        assertThat(problems(yaml))
                .anySatisfy(p ->
                        assertThat(p).contains("unknown placeholder {when}").contains("{now}, {preset}"));
    }
}
