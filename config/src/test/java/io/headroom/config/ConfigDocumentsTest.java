package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDocumentsTest {

    private static List<String> problems(String yaml) {
        try {
            ConfigDocuments.parse("agent.yaml", yaml);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
        }
        throw new AssertionError("expected the document to be refused: " + yaml);
    }

    private static ConfigNode.Mapping mapping(ConfigNode node) {
        assertThat(node).isInstanceOf(ConfigNode.Mapping.class);
        return (ConfigNode.Mapping) node;
    }

    private static ConfigNode at(ConfigNode node, String key) {
        return mapping(node).entries().get(key).value();
    }

    @Test
    void parse_nestedDocument_everyNodeKnowsFileLineAndPath() throws Exception {
        ConfigNode root = ConfigDocuments.parse(
                "agent.yaml",
                String.join(
                        "\n",
                        "agent-id: rack-a1",
                        "mqtt:",
                        "  url: tcp://broker:1883",
                        "devices:",
                        "  - id: pdu-1",
                        "    snmp:",
                        "      version: 2c",
                        "  - id: pdu-2",
                        "    snmp: {version: 3}",
                        ""));

        assertThat(root.origin()).isEqualTo(new ConfigNode.Origin("agent.yaml", 1, ""));
        assertThat(at(at(root, "mqtt"), "url").origin()).isEqualTo(new ConfigNode.Origin("agent.yaml", 3, "mqtt.url"));
        ConfigNode.Sequence devices = (ConfigNode.Sequence) at(root, "devices");
        assertThat(devices.origin().path()).isEqualTo("devices");
        assertThat(devices.items().get(1).origin()).isEqualTo(new ConfigNode.Origin("agent.yaml", 8, "devices[1]"));
        ConfigNode version = at(at(devices.items().get(0), "snmp"), "version");
        assertThat(version.origin()).isEqualTo(new ConfigNode.Origin("agent.yaml", 7, "devices[0].snmp.version"));
        assertThat(((ConfigNode.Scalar) version).text()).isEqualTo("2c");
        ConfigNode flowVersion = at(at(devices.items().get(1), "snmp"), "version");
        assertThat(flowVersion.origin()).isEqualTo(new ConfigNode.Origin("agent.yaml", 9, "devices[1].snmp.version"));
    }

    @Test
    void parse_keyOriginIsTheKeysOwnLine() throws Exception {
        ConfigNode root = ConfigDocuments.parse("a.yaml", "mqtt:\n  url: x\n");

        ConfigNode.Entry mqtt = mapping(root).entries().get("mqtt");
        assertThat(mqtt.keyOrigin()).isEqualTo(new ConfigNode.Origin("a.yaml", 1, "mqtt"));
        assertThat(mqtt.value().origin().line()).isEqualTo(2);
    }

    @Test
    void parse_keepsDocumentOrder() throws Exception {
        ConfigNode root = ConfigDocuments.parse("a.yaml", "zeta: 1\nalpha: 2\nmid: 3\n");

        assertThat(mapping(root).entries().keySet()).containsExactly("zeta", "alpha", "mid");
    }

    @Test
    void parse_scalars_keepTextAsWrittenAndWhetherQuoted() throws Exception {
        ConfigNode root = ConfigDocuments.parse(
                "a.yaml",
                String.join(
                        "\n",
                        "plain: 8080",
                        "double: \"8080\"",
                        "single: '8080'",
                        "yes-word: yes",
                        "hex: 0x1F",
                        "block: |",
                        "  line",
                        "tilde: ~",
                        "empty:",
                        "null-word: null",
                        "quoted-null: \"null\"",
                        "emoji: \"\uD83D\uDE00\"",
                        "after-emoji: \"x\"",
                        "plain-after-emoji: x",
                        ""));

        assertThat(at(root, "plain"))
                .isEqualTo(
                        new ConfigNode.Scalar("8080", false, at(root, "plain").origin()));
        assertThat(((ConfigNode.Scalar) at(root, "double")).quoted()).isTrue();
        assertThat(((ConfigNode.Scalar) at(root, "single")).quoted()).isTrue();
        assertThat(((ConfigNode.Scalar) at(root, "yes-word")).text()).isEqualTo("yes");
        assertThat(((ConfigNode.Scalar) at(root, "hex")).text()).isEqualTo("0x1F");
        assertThat(((ConfigNode.Scalar) at(root, "block")).text()).isEqualTo("line\n");
        assertThat(((ConfigNode.Scalar) at(root, "block")).quoted()).isTrue();
        assertThat(((ConfigNode.Scalar) at(root, "tilde")).text()).isNull();
        assertThat(((ConfigNode.Scalar) at(root, "empty")).text()).isNull();
        assertThat(((ConfigNode.Scalar) at(root, "null-word")).text()).isNull();
        assertThat(((ConfigNode.Scalar) at(root, "quoted-null")).text()).isEqualTo("null");
        // Jackson counts offsets in code points; a character outside the BMP must not shift what follows
        assertThat(((ConfigNode.Scalar) at(root, "after-emoji")).quoted()).isTrue();
        assertThat(((ConfigNode.Scalar) at(root, "plain-after-emoji")).quoted()).isFalse();
        assertThat(at(root, "plain-after-emoji").origin().line()).isEqualTo(14);
    }

    @Test
    void parse_duplicateKeys_oneProblemEach() {
        assertThat(problems("a: 1\nb: 2\na: 3\nc:\n  d: 1\n  d: 2\na: 4\n"))
                .containsExactly(
                        "agent.yaml:3: a: duplicate key; first at line 1",
                        "agent.yaml:6: c.d: duplicate key; first at line 5",
                        "agent.yaml:7: a: duplicate key; first at line 1");
    }

    @Test
    void parse_syntaxError_reportsItsLine() {
        assertThat(problems("a: 1\n  b: 2\n"))
                .containsExactly("agent.yaml:2: not valid YAML: mapping values are not allowed here");
        assertThat(problems("a: 1\nb: [1, 2\nc: 3\n"))
                .singleElement()
                .asString()
                .startsWith("agent.yaml:3: not valid YAML: expected ',' or ']'")
                .endsWith("(while parsing a flow sequence at line 2)");
    }

    @Test
    void parse_syntaxErrorAfterDuplicate_reportsBoth() {
        assertThat(problems("a: 1\na: 2\nb: \"open\n"))
                .hasSize(2)
                .first()
                .isEqualTo("agent.yaml:2: a: duplicate key; first at line 1");
    }

    @Test
    void parse_emptyOrOnlyComments_isRefused() {
        assertThat(problems("")).containsExactly("agent.yaml: the file is empty");
        assertThat(problems("# nothing here\n\n   # still nothing\n")).containsExactly("agent.yaml: the file is empty");
        assertThat(problems("---\n")).containsExactly("agent.yaml: the file is empty");
    }

    @Test
    void parse_severalDocuments_isRefused() {
        assertThat(problems("a: 1\n---\nb: 2\n"))
                .containsExactly(
                        "agent.yaml:3: a second document starts here; a config file holds one document (remove the ---)");
    }

    @Test
    void parse_oneLeadingDocumentMarker_isAccepted() throws Exception {
        ConfigNode root = ConfigDocuments.parse("a.yaml", "---\na: 1\n");

        assertThat(mapping(root).entries()).containsOnlyKeys("a");
        assertThat(root.origin().line()).isEqualTo(2);
    }

    @Test
    void parse_anchorsAliasesAndTags_areRefusedEachAtItsLine() {
        assertThat(problems(String.join(
                        "\n",
                        "base: &b",
                        "  x: 1",
                        "copy: *b",
                        "port: &p 80",
                        "other: *p",
                        "text: !!str 5",
                        "custom: !thing value",
                        "merged:",
                        "  <<: *b",
                        "")))
                .containsExactly(
                        "agent.yaml:1: base: anchors (&b) are not accepted; write each value out in full",
                        "agent.yaml:3: copy: aliases (*b) are not accepted; write the value out in full",
                        "agent.yaml:4: port: anchors (&p) are not accepted; write each value out in full",
                        "agent.yaml:5: other: aliases (*p) are not accepted; write the value out in full",
                        "agent.yaml:6: text: tags (!!str) are not accepted; write the value plainly",
                        "agent.yaml:7: custom: tags (!thing) are not accepted; write the value plainly",
                        "agent.yaml:9: merged.<<: aliases (*b) are not accepted; write the value out in full");
    }

    @Test
    void parse_flowAnchor_isRefused() {
        assertThat(problems("a: &m {p: 1}\nb: [&i 1, 2]\n"))
                .containsExactly(
                        "agent.yaml:1: a: anchors (&m) are not accepted; write each value out in full",
                        "agent.yaml:2: b[0]: anchors (&i) are not accepted; write each value out in full");
    }

    @Test
    void parse_anchorOnAKey_isRefusedOnce() {
        assertThat(problems("&k a: 1\n"))
                .containsExactly("agent.yaml:1: a: anchors (&k) are not accepted on keys; write the key plainly");
    }

    @Test
    void parse_complexKey_isRefusedInPlainWords() {
        assertThat(problems("ok: 1\n[1, 2]: x\n"))
                .containsExactly("agent.yaml:2: not valid YAML: a key must be a plain value, not a list or a mapping");
    }

    @Test
    void parse_tabIndentation_saysSo() {
        assertThat(problems("a:\n\tb: 1\n"))
                .singleElement()
                .asString()
                .startsWith("agent.yaml:2: not valid YAML: found character '\\t(TAB)' that cannot start any token");
    }

    @Test
    void parse_absurdNesting_isAProblemNotACrash() {
        String deep = "[".repeat(5000) + "]".repeat(5000);

        assertThat(problems("a: " + deep + "\n"))
                .singleElement()
                .asString()
                .startsWith("agent.yaml:1: a[0][0]")
                .endsWith("[0]: nested more than 100 levels deep");
    }

    @Test
    void parse_byteOrderMark_isIgnored() throws Exception {
        ConfigNode root = ConfigDocuments.parse("a.yaml", "\uFEFFa: \"x\"\n");

        assertThat(((ConfigNode.Scalar) at(root, "a")).quoted()).isTrue();
    }

    @Test
    void read_usesTheFileNameAsGiven(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "a: 1\na: 2\n");

        assertThatThrownBy(() -> ConfigDocuments.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":2: a: duplicate key; first at line 1");
    }

    @Test
    void read_goodFile_hasOriginsInThatFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "# comment\nname: x\n");

        ConfigNode root = ConfigDocuments.read(file);

        assertThat(at(root, "name").origin()).isEqualTo(new ConfigNode.Origin(file.toString(), 2, "name"));
    }

    @Test
    void read_notUtf8_isAProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> ConfigDocuments.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": is not UTF-8 text");
    }
}
