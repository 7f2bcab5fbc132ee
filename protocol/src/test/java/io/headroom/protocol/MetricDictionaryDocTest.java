package io.headroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps docs/metrics.md in step with the dictionary: the code is the source of truth. */
class MetricDictionaryDocTest {

    @Test
    void metricsDoc_listsEveryCanonicalMetricWithItsUnit() throws IOException {
        Path doc = Path.of(System.getProperty("basedir", "."), "..", "docs", "metrics.md");
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);

        for (MetricDescriptor metric : MetricDictionary.all()) {
            String unit = metric.unit().isEmpty() ? "(none)" : metric.unit();
            String rowStart = "| `" + metric.name() + "` | " + unit + " |";
            assertThat(lines).as("row for %s in %s", metric.name(), doc).anyMatch(line -> line.startsWith(rowStart));
        }
        long rows = lines.stream()
                .filter(line -> line.matches("^\\| `[a-z.]+` \\|.*"))
                .count();
        assertThat(rows)
                .as("metric rows in the doc")
                .isEqualTo(MetricDictionary.all().size());
    }
}
