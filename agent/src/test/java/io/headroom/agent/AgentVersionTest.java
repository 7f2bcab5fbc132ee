package io.headroom.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AgentVersionTest {

    @Test
    void current_isThePomVersion_filteredIntoTheResource() {
        String expected = System.getProperty("headroom.expectedAgentVersion");
        assertThat(expected)
                .as("agent/pom.xml passes ${project.version} to surefire")
                .isNotBlank()
                .doesNotContain("${");

        assertThat(AgentVersion.current())
                .isEqualTo(expected)
                .isNotEqualTo(AgentVersion.UNKNOWN)
                .doesNotContain("${");
    }

    @Test
    void read_missingResource_isUnknown() {
        assertThat(AgentVersion.read(null)).isEqualTo("unknown");
    }

    @Test
    void read_unfilteredPlaceholder_isUnknownNotThePlaceholder() {
        assertThat(AgentVersion.read(stream("version=${project.version}\n"))).isEqualTo("unknown");
    }

    @Test
    void read_filteredResource_isItsVersion() {
        assertThat(AgentVersion.read(stream("# comment\nversion=1.4.2\n"))).isEqualTo("1.4.2");
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
