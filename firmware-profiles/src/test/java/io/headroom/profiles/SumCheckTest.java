package io.headroom.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the {@code sum-check} of every golden case that has one: the parts of a metric (a PDU's
 * outlet powers, instances matching {@code parts}) add up to its total (the instance {@code total})
 * within {@code within-percent} of the total. The expected readings themselves are checked against
 * the driver by the agent's {@code GoldenCasesTest}, so this holds for what the driver reads too. A
 * recording whose parts do not add up says so in the case's {@code why} and in a wider tolerance; a
 * case without parts (a PDU without outlet meters) has no sum-check and says why in its comment.
 */
class SumCheckTest {

    private static final Path CASES = Path.of("src/test/resources/cases");
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> casesWithSumCheck() throws IOException {
        try (Stream<Path> walk = Files.walk(CASES)) {
            return walk.filter(p -> p.getFileName().toString().equals("expected-readings.json"))
                    .filter(p -> read(p).has("sum-check"))
                    .sorted()
                    .toList();
        }
    }

    @ParameterizedTest
    @MethodSource("casesWithSumCheck")
    void parts_addUpToTheTotal_withinTheStatedTolerance(Path file) {
        JsonNode expected = read(file);
        JsonNode check = expected.get("sum-check");
        String metric = check.get("metric").asText();
        Pattern parts = Pattern.compile(check.get("parts").asText());
        String totalInstance = check.get("total").asText();
        double withinPercent = check.get("within-percent").asDouble();
        assertThat(check.get("why").asText())
                .as("why the parts may differ from the total")
                .isNotBlank();

        double sum = 0;
        int count = 0;
        Double total = null;
        for (JsonNode reading : expected.get("readings")) {
            if (!reading.get("metric").asText().equals(metric)) {
                continue;
            }
            String instance = reading.get("instance").asText();
            if (instance.equals(totalInstance)) {
                total = reading.get("value").asDouble();
            } else if (parts.matcher(instance).matches()) {
                sum += reading.get("value").asDouble();
                count++;
            }
        }
        assertThat(total)
                .as("the total %s[%s] in %s", metric, totalInstance, file)
                .isNotNull();
        assertThat(count).as("parts of %s in %s", metric, file).isPositive();
        assertThat(Math.abs(sum - total))
                .as("|sum of %d parts %s - total %s| in %s", count, sum, total, file)
                .isLessThanOrEqualTo(total * withinPercent / 100);
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
