package io.headroom.config;

import static io.headroom.config.Yaml.bind;
import static io.headroom.config.Yaml.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link OtherKeys}: keys no component names are kept, unbound and in order, for a later step. */
class OtherKeysTest {

    record Device(String id, @OtherKeys Map<String, ConfigNode> drivers) {}

    record Cgminer(int port, @Default("5s") Duration timeout) {}

    @Test
    void unnamedKeys_areCollectedInDocumentOrderWithTheirOrigins() throws Exception {
        Device device = bind(Device.class, "zeta: 1", "id: m-1", "cgminer:", "  port: 4028", "alpha: [x]");

        assertThat(device.id()).isEqualTo("m-1");
        assertThat(device.drivers().keySet()).containsExactly("zeta", "cgminer", "alpha");
        assertThat(device.drivers().get("cgminer").origin())
                .isEqualTo(new ConfigNode.Origin("agent.yaml", 4, "cgminer"));
    }

    @Test
    void noUnnamedKeys_isAnEmptyMap() throws Exception {
        assertThat(bind(Device.class, "id: m-1").drivers()).isEmpty();
    }

    @Test
    void collectedNode_boundLater_reportsItsOwnLineAndPath() throws Exception {
        Device device = bind(Device.class, "id: m-1", "cgminer:", "  port: x", "  timout: 1s");
        Problems problems = new Problems();

        Cgminer driver = new ConfigBinder(Yaml.BASE).bind(device.drivers().get("cgminer"), Cgminer.class, problems);

        assertThat(driver).isNull();
        assertThat(problems.list())
                .extracting(ConfigProblem::toString)
                .containsExactly(
                        "agent.yaml:3: cgminer.port: expected a number, found 'x'",
                        "agent.yaml:4: cgminer.timout: unknown key; did you mean timeout?");
    }

    @Test
    void namedComponents_areStillCheckedNextToOtherKeys() {
        assertThat(problems(Device.class, "cgminer: {}")).containsExactly("agent.yaml:1: id: required");
    }
}
