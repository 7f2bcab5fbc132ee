package io.headroom.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.protocol.wire.Verb;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalogue's own rules: inheritance, abstract bases, ids and every problem of every file. */
class ProfileCatalogTest {

    private static final String BASE = """
            id: acme/family
            vendor: acme
            abstract: true
            description: Acme family
            driver: cgminer
            kind: miner
            nameplate: {power-watts: 3000}
            capabilities:
              sleep: {read-back: {metric: mode, expect: sleep}}
            points:
              default-port: 4028
              reads: [stats, version]
            """;

    private static final String CHILD = """
            id: acme/m1
            vendor: acme
            extends: acme/family
            models: [Acme M1]
            match: [{command: version, path: "VERSION[0].Acme", pattern: ".+"}]
            nameplate: {power-watts: 3400, hashrate-ths: 200}
            points:
              reads: [stats, summary, version]
            """;

    private static Map<String, String> files(String... nameAndText) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < nameAndText.length; i += 2) {
            files.put(nameAndText[i], nameAndText[i + 1]);
        }
        return files;
    }

    private static List<String> problems(Map<String, String> files) {
        try {
            ProfileCatalog.load(files);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems");
    }

    @Test
    void extends_inheritsAndOverrides_mappingsMergeListsReplace() throws Exception {
        ProfileCatalog catalog = ProfileCatalog.load(files("p/acme/family.yaml", BASE, "p/acme/m1.yaml", CHILD));

        FirmwareProfile m1 = catalog.find("acme/m1").orElseThrow();
        assertThat(m1.driver()).isEqualTo("cgminer");
        assertThat(m1.description()).isEqualTo("Acme family");
        assertThat(m1.nameplate().powerWatts()).isEqualTo(3400);
        assertThat(m1.nameplate().joulesPerTerahash()).hasValue(17.0);
        assertThat(m1.capability(Verb.VERB_SLEEP)).isPresent();
        // points: merged key by key; its list `reads` replaced, not appended.
        ConfigNodes points = ConfigNodes.of(m1.points());
        assertThat(points.scalar("default-port")).isEqualTo("4028");
        assertThat(points.list("reads")).containsExactly("stats", "summary", "version");
        assertThat(m1.isAbstract()).isFalse();
    }

    @Test
    void abstractBase_isNotUsableByDevices() throws Exception {
        ProfileCatalog catalog = ProfileCatalog.load(files("p/acme/family.yaml", BASE, "p/acme/m1.yaml", CHILD));

        assertThat(catalog.find("acme/family")).isEmpty();
        assertThat(catalog.ids()).containsExactly("acme/m1");
    }

    @Test
    void problemInAnInheritedKey_pointsIntoTheParentsFile() {
        String brokenBase = BASE.replace(
                "sleep: {read-back: {metric: mode, expect: sleep}}",
                "sleep: {read-back: {metric: mode, expect: snooze}}");

        assertThat(problems(files("p/acme/family.yaml", brokenBase, "p/acme/m1.yaml", CHILD)))
                .anySatisfy(p -> assertThat(p).startsWith("p/acme/family.yaml:").contains("snooze"));
    }

    @Test
    void everyProblemOfEveryFile_isReportedAtOnce_withFileLineAndPath() {
        String badCapability = CHILD.replace("acme/m1", "acme/m2").replace("Acme M1", "Acme M2")
                + "capabilities:\n  set-power-target: {unit: W}\n";
        String typo = CHILD.replace("acme/m1", "acme/m3").replace("models:", "modles:");

        List<String> problems =
                problems(files("p/acme/family.yaml", BASE, "p/acme/m2.yaml", badCapability, "p/acme/m3.yaml", typo));

        assertThat(problems)
                .anySatisfy(
                        p -> assertThat(p)
                                .isEqualTo(
                                        "p/acme/m2.yaml:9: capabilities: set-power-target takes a value: give its unit and range"));
        assertThat(problems)
                .anySatisfy(p ->
                        assertThat(p).startsWith("p/acme/m3.yaml:4: modles:").contains("did you mean models?"));
    }

    @Test
    void unknownVerb_isRefusedListingTheVerbs() {
        String child = CHILD + "capabilities:\n  hibernate: {}\n";

        assertThat(problems(files("p/acme/family.yaml", BASE, "p/acme/m1.yaml", child)))
                .anySatisfy(
                        p -> assertThat(p).contains("'hibernate' is not a verb").contains("set-power-target"));
    }

    @Test
    void readLastReply_isNoCapability_aProfileListingItIsRefused() {
        String child = CHILD + "capabilities:\n  read-last-reply: {}\n";

        assertThat(problems(files("p/acme/family.yaml", BASE, "p/acme/m1.yaml", child)))
                .anySatisfy(
                        p -> assertThat(p).contains("read-last-reply is not a capability: every device answers it"));
    }

    @Test
    void idMustMatchThePath_andBeUnique() {
        assertThat(problems(files("p/acme/family.yaml", BASE, "p/acme/other.yaml", CHILD)))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("p/acme/other.yaml:1: id:")
                        .contains("must match the file's path: acme/other"));
    }

    @Test
    void extends_missingParentOrCycle_isNamed() {
        String orphan = CHILD.replace("extends: acme/family", "extends: acme/nothing");
        assertThat(problems(files("p/acme/m1.yaml", orphan)))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("p/acme/m1.yaml:3: extends:")
                        .contains("no profile 'acme/nothing' to extend"));

        String a = BASE.replace("abstract: true", "abstract: true\nextends: acme/m1");
        assertThat(problems(files("p/acme/family.yaml", a, "p/acme/m1.yaml", CHILD)))
                .anySatisfy(p -> assertThat(p).contains("cycle"));
    }

    @Test
    void capabilityInstances_rangesExpand_andWireFormCarriesThem() throws Exception {
        String pdu = """
                id: acme/pdu
                vendor: acme
                models: [Acme PDU 24]
                description: Acme switched PDU
                driver: snmp
                kind: pdu
                match: [{sys-object-id: 1.3.6.1.4.1.99999}]
                nameplate: {power-watts: 10}
                capabilities:
                  outlet-off: {instances: ["1..24"], dangerous: true, settle: 2s}
                points: {}
                """;
        FirmwareProfile profile = ProfileCatalog.load(files("p/acme/pdu.yaml", pdu))
                .find("acme/pdu")
                .orElseThrow();

        Capability off = profile.capability(Verb.VERB_OUTLET_OFF).orElseThrow();
        assertThat(off.instances()).hasSize(24).startsWith("1", "2").endsWith("24");
        assertThat(off.toWire().getDangerous()).isTrue();
        assertThat(off.toWire().getSettleMs()).isEqualTo(2000);
        assertThat(off.toWire().getInstancesCount()).isEqualTo(24);
    }

    @Test
    void builtIn_luxosAndBmminer_extendTheAntminerFamily() {
        ProfileCatalog catalog = ProfileCatalog.loadBuiltIn();

        assertThat(catalog.ids())
                .containsExactlyInAnyOrder(
                        "luxor/luxos",
                        "antminer/bmminer",
                        "apc/rpdu2",
                        "apc/rpdu2-switched",
                        "apc/smart-ups",
                        "raritan/pdu2",
                        "servertech/sentry4",
                        "ietf/ups-mib",
                        "ietf/entity-sensor",
                        "eastron/sdm630",
                        "schneider/iem3000",
                        "abb/b2x",
                        "generic/modbus-temperature-sensor",
                        "generic/modbus-fan-contactor",
                        "dmtf/redfish-gpu-server",
                        "dmtf/redfish-gpu-server-legacy",
                        "dmtf/redfish-rack-pdu",
                        "dmtf/redfish-cdu",
                        "nvidia/dcgm-exporter",
                        "nvidia/nvidia-smi",
                        "microbt/whatsminer-v2",
                        "microbt/whatsminer-v3",
                        "canaan/avalon-a15",
                        "antminer/stock-web",
                        "braiins/braiins-os",
                        "vnish/vnish");
        assertThat(catalog.find("luxor/luxos").orElseThrow().parent()).hasValue("antminer/antminer-family");
        assertThat(catalog.find("luxor/luxos")
                        .orElseThrow()
                        .checkedCapabilities()
                        .keySet())
                .containsExactlyInAnyOrder(Verb.VERB_SLEEP, Verb.VERB_WAKE, Verb.VERB_REBOOT);
        assertThat(catalog.find("antminer/bmminer").orElseThrow().checkedCapabilities())
                .isEmpty();
        assertThatThrownBy(() -> catalog.find("antminer/antminer-family").orElseThrow())
                .isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    void valueCapability_readBackWithinTolerance_loads() throws Exception {
        String child = CHILD + """
                capabilities:
                  set-power-target:
                    unit: W
                    range: {min: 1200, max: 3300}
                    step: 10
                    read-back: {metric: power.target, tolerance: 10}
                """;

        FirmwareProfile m1 = ProfileCatalog.load(files("p/acme/family.yaml", BASE, "p/acme/m1.yaml", child))
                .find("acme/m1")
                .orElseThrow();

        Capability power = m1.capability(Verb.VERB_SET_POWER_TARGET).orElseThrow();
        assertThat(power.toWire().getReadBackMetric()).isEqualTo("power.target");
        assertThat(power.toWire().getTolerance()).isEqualTo(10);
        assertThat(power.toWire().getMax()).isEqualTo(3300);
    }

    @Test
    void thermalRule_loads_andIsInherited() throws Exception {
        String base = BASE + """
                thermal: {max-chip-c: 90}
                """;

        FirmwareProfile m1 = ProfileCatalog.load(files("p/acme/family.yaml", base, "p/acme/m1.yaml", CHILD))
                .find("acme/m1")
                .orElseThrow();

        assertThat(m1.thermal()).hasValue(new ThermalRule(90, "sleep"));
        assertThat(ProfileCatalog.load(files("p/acme/family.yaml", BASE, "p/acme/m1.yaml", CHILD))
                        .find("acme/m1")
                        .orElseThrow()
                        .thermal())
                .isEmpty();
    }

    @Test
    void thermalRule_badLimitOrAction_orUndeclaredAction_isNamed() {
        String hot = CHILD + """
                thermal: {max-chip-c: 400}
                """;
        String wake = CHILD + """
                thermal: {max-chip-c: 90, action: wake}
                """;
        String undeclared = """
                id: acme/m2
                vendor: acme
                description: no sleep here
                driver: cgminer
                kind: miner
                nameplate: {power-watts: 3000}
                thermal: {max-chip-c: 90}
                points: {reads: [stats]}
                """;

        assertThat(problems(files("p/acme/family.yaml", BASE, "p/acme/m1.yaml", hot)))
                .anySatisfy(p -> assertThat(p).contains("m1.yaml").contains("max-chip-c: must be 40 … 130 °C"));
        assertThat(problems(files("p/acme/family.yaml", BASE, "p/acme/m1.yaml", wake)))
                .anySatisfy(p -> assertThat(p).contains("action: 'wake' is not a thermal action"));
        assertThat(problems(files("p/acme/m2.yaml", undeclared)))
                .anySatisfy(p -> assertThat(p).contains("thermal: action sleep is not among the capabilities"));
    }
}
