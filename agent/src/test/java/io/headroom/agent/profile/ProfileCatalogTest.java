package io.headroom.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.Verb;
import org.junit.jupiter.api.Test;

class ProfileCatalogTest {

    private final ProfileCatalog catalog = ProfileCatalog.loadBuiltIn();

    @Test
    void loadBuiltIn_readsEveryIndexedProfile() {
        assertThat(catalog.ids()).containsExactly("luxor/luxos", "antminer/bmminer");
        assertThat(catalog.find("nope/nope")).isEmpty();
    }

    @Test
    void luxos_hasSessionControlsAndPowerField() {
        FirmwareProfile luxos = catalog.find("luxor/luxos").orElseThrow();

        assertThat(luxos.kind()).isEqualTo(DeviceKind.DEVICE_KIND_MINER);
        assertThat(luxos.driver()).isEqualTo("cgminer");
        assertThat(luxos.defaultPort()).isEqualTo(4028);
        assertThat(luxos.nameplatePowerWatts()).isPositive();
        assertThat(luxos.reads()).containsExactly("stats", "summary", "power", "config", "version");
        assertThat(luxos.session()).hasValueSatisfying(s -> assertThat(s.logon()).isEqualTo("logon"));
        assertThat(luxos.control(Verb.VERB_SLEEP)).hasValueSatisfying(c -> {
            assertThat(c.command()).isEqualTo("curtail");
            assertThat(c.parameter()).isEqualTo("sleep");
            assertThat(c.readBack().expect()).isEqualTo(Mode.SLEEP);
        });
        assertThat(luxos.control(Verb.VERB_WAKE)).hasValueSatisfying(c -> assertThat(c.parameter()).isEqualTo("wakeup"));
        assertThat(luxos.control(Verb.VERB_SET_POWER_TARGET)).isEmpty();
        assertThat(luxos.field("power")).hasValueSatisfying(f -> assertThat(f.path()).isEqualTo("POWER[0].Watts"));
        assertThat(luxos.field("mode")).hasValueSatisfying(f ->
                assertThat(f.states()).containsEntry("None", Mode.NORMAL).containsEntry("Sleep", Mode.SLEEP));
    }

    @Test
    void bmminer_isReadOnly() {
        FirmwareProfile stock = catalog.find("antminer/bmminer").orElseThrow();

        assertThat(stock.controls()).isEmpty();
        assertThat(stock.session()).isEmpty();
        assertThat(stock.reads()).doesNotContain("power");
    }

    @Test
    void parse_unknownKey_failsNamingFileAndKey() {
        String yaml = valid().replace("kind: miner", "kind: miner\nflavour: mint");
        assertThatThrownBy(() -> ProfileCatalog.parse(yaml, "x/y.yaml"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("x/y.yaml").hasMessageContaining("flavour: unknown key");
    }

    @Test
    void parse_idNotMatchingPath_fails() {
        assertThatThrownBy(() -> ProfileCatalog.parse(valid(), "x/other.yaml"))
                .hasMessageContaining("does not match file");
    }

    @Test
    void parse_readBackWithoutFieldMapping_fails() {
        String yaml = valid().replace("controls: {}",
                "controls:\n  sleep:\n    command: c\n    parameter: p\n    read-back: {metric: mode, expect: sleep}");
        assertThatThrownBy(() -> ProfileCatalog.parse(yaml, "x/y.yaml")).hasMessageContaining("has no field mapping");
    }

    @Test
    void parse_unknownMode_fails() {
        String yaml = valid().replace("fields: []",
                "fields:\n  - {metric: mode, command: config, path: A.B, states: {X: turbo}}");
        assertThatThrownBy(() -> ProfileCatalog.parse(yaml, "x/y.yaml")).hasMessageContaining("unknown mode 'turbo'");
    }

    @Test
    void parse_missingKey_fails() {
        assertThatThrownBy(() -> ProfileCatalog.parse(valid().replace("default-port: 4028\n", ""), "x/y.yaml"))
                .hasMessageContaining("default-port: missing");
    }

    private static String valid() {
        return "id: x/y\nvendor: x\ndescription: d\ndriver: cgminer\nkind: miner\ndefault-port: 4028\n"
                + "nameplate-power-watts: 100\nidentify: {command: version, path: 'VERSION[0].Type', pattern: '.'}\n"
                + "reads: [stats]\nfields: []\ncontrols: {}\n";
    }
}
