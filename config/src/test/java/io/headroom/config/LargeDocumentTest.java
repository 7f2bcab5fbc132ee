package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A site.yaml of 100,000 devices is about 7 MiB: past SnakeYAML's default 3 MiB document limit. */
class LargeDocumentTest {

    @Test
    void aDocumentPastThreeMebibytesIsRead() throws Exception {
        StringBuilder yaml = new StringBuilder("devices:\n");
        int items = 0;
        while (yaml.length() < 4 * 1024 * 1024) {
            yaml.append("  - {id: m").append(items++).append(", agent: a1, class: hashing}\n");
        }
        ConfigNode root = ConfigDocuments.parse("big.yaml", yaml.toString());
        assertThat(root).isNotNull();
        assertThat(yaml.length()).isGreaterThan(3 * 1024 * 1024);
        assertThat(YamlTreeReader.MAX_CODE_POINTS).isGreaterThan(yaml.length());
    }
}
