package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ConfigDocuments#overlay}: a file that {@code extends:} another, with every origin kept. */
class OverlayTest {

    record Snmp(String community, int port) {}

    record Profile(String name, Snmp snmp, List<String> points) {}

    private static ConfigNode parent() throws ConfigException {
        return ConfigDocuments.parse(
                "base.yaml",
                String.join("\n", "name: base", "snmp:", "  community: public", "  port: x", "points: [a, b, c]", ""));
    }

    private static ConfigNode child(String... lines) throws ConfigException {
        return ConfigDocuments.parse("child.yaml", String.join("\n", lines) + "\n");
    }

    private static ConfigNode at(ConfigNode node, String... keys) {
        ConfigNode current = node;
        for (String key : keys) {
            current = ((ConfigNode.Mapping) current).entries().get(key).value();
        }
        return current;
    }

    @Test
    void inheritedKey_keepsTheParentsFileAndLine() throws Exception {
        ConfigNode merged = ConfigDocuments.overlay(parent(), child("name: child"));

        assertThat(at(merged, "snmp", "community").origin())
                .isEqualTo(new ConfigNode.Origin("base.yaml", 3, "snmp.community"));
        assertThat(at(merged, "name").origin()).isEqualTo(new ConfigNode.Origin("child.yaml", 1, "name"));
        assertThat(((ConfigNode.Scalar) at(merged, "name")).text()).isEqualTo("child");
    }

    @Test
    void mappings_mergeKeyByKey() throws Exception {
        ConfigNode merged = ConfigDocuments.overlay(parent(), child("snmp:", "  port: 1161"));

        assertThat(((ConfigNode.Scalar) at(merged, "snmp", "port")).text()).isEqualTo("1161");
        assertThat(at(merged, "snmp", "port").origin().file()).isEqualTo("child.yaml");
        assertThat(((ConfigNode.Scalar) at(merged, "snmp", "community")).text()).isEqualTo("public");
        assertThat(((ConfigNode.Mapping) merged).entries().keySet()).containsExactly("name", "snmp", "points");
    }

    @Test
    void lists_areReplacedNotAppended() throws Exception {
        ConfigNode merged = ConfigDocuments.overlay(parent(), child("points: [z]"));

        ConfigNode.Sequence points = (ConfigNode.Sequence) at(merged, "points");
        assertThat(points.items()).hasSize(1);
        assertThat(((ConfigNode.Scalar) points.items().get(0)).text()).isEqualTo("z");
        assertThat(points.origin().file()).isEqualTo("child.yaml");
    }

    @Test
    void newKeysOfTheChild_comeAfterTheParents() throws Exception {
        ConfigNode merged = ConfigDocuments.overlay(parent(), child("extra: 1", "name: c"));

        assertThat(((ConfigNode.Mapping) merged).entries().keySet()).containsExactly("name", "snmp", "points", "extra");
    }

    @Test
    void problemInAnInheritedKey_pointsIntoTheParentFile() throws Exception {
        ConfigNode merged = ConfigDocuments.overlay(parent(), child("name: child", "snmp:", "  community: private"));
        Problems problems = new Problems();

        new ConfigBinder(Yaml.BASE).bind(merged, Profile.class, problems);

        assertThat(problems.list())
                .extracting(ConfigProblem::toString)
                .containsExactly("base.yaml:4: snmp.port: expected a number, found 'x'");
    }

    @Test
    void missingKeyOfAnInheritedMapping_isReportedInTheParentFile() throws Exception {
        ConfigNode base = ConfigDocuments.parse("base.yaml", "snmp: {community: public}\n");
        ConfigNode merged = ConfigDocuments.overlay(base, child("name: c", "points: []"));
        Problems problems = new Problems();

        new ConfigBinder(Yaml.BASE).bind(merged, Profile.class, problems);

        assertThat(problems.list())
                .extracting(ConfigProblem::toString)
                .containsExactly("base.yaml:1: snmp.port: required");
    }

    @Test
    void missingKeyOfAMergedMapping_isReportedInTheChildFile() throws Exception {
        ConfigNode base = ConfigDocuments.parse("base.yaml", "snmp: {community: public}\n");
        ConfigNode merged = ConfigDocuments.overlay(base, child("name: c", "points: []", "snmp:", "  community: x"));
        Problems problems = new Problems();

        new ConfigBinder(Yaml.BASE).bind(merged, Profile.class, problems);

        assertThat(problems.list())
                .extracting(ConfigProblem::toString)
                .containsExactly("child.yaml:4: snmp.port: required");
    }

    @Test
    void scalarOverMapping_replacesIt() throws Exception {
        ConfigNode merged = ConfigDocuments.overlay(parent(), child("snmp: off"));

        assertThat(at(merged, "snmp")).isInstanceOf(ConfigNode.Scalar.class);
    }
}
