package io.headroom.agent.driver.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.profile.FirmwareProfile;
import io.headroom.agent.profile.ProfileCatalog;
import io.headroom.protocol.MetricDictionary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks {@code firmware-profiles/src/test/resources/cases/<vendor>/<model>/<case>/}: each folder
 * holds one captured (or transformed) reply per read command of its profile and an
 * {@code expected-readings.json}. A new quirk is a new folder; this class does not change.
 */
class GoldenCasesTest {

    private static final ProfileCatalog CATALOG = ProfileCatalog.loadBuiltIn();
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path casesRoot() {
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(base).resolve("../firmware-profiles/src/test/resources/cases").normalize();
    }

    static List<Path> cases() throws IOException {
        try (Stream<Path> walk = Files.walk(casesRoot())) {
            return walk.filter(p -> p.getFileName().toString().equals("expected-readings.json"))
                    .map(Path::getParent)
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void casesRoot_holdsCasesForEveryBuiltInProfile() throws IOException {
        List<String> profiles = cases().stream().map(GoldenCasesTest::expected)
                .map(e -> e.get("profile").asText()).distinct().collect(Collectors.toList());
        assertThat(profiles).containsExactlyInAnyOrderElementsOf(CATALOG.ids());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void case_repliesThroughTheDriver_giveTheExpectedReadings(Path dir) throws IOException {
        JsonNode expected = expected(dir);
        FirmwareProfile profile = CATALOG.find(expected.get("profile").asText()).orElseThrow();
        Map<String, String> raw = new LinkedHashMap<>();
        for (String command : profile.reads()) {
            raw.put(command, new String(Files.readAllBytes(dir.resolve(command + ".json")), StandardCharsets.UTF_8));
        }

        PollResult result = CgminerDriver.interpretRaw(Instant.EPOCH, profile, raw);

        assertThat(result.health().name()).isEqualTo("DEVICE_HEALTH_" + expected.get("health").asText());
        assertThat(result.reason()).isEqualTo(expected.get("reason").asText());
        JsonNode identity = expected.get("identity");
        assertThat(result.identity()).isNotNull();
        assertThat(result.identity().model()).isEqualTo(identity.get("model").asText());
        assertThat(result.identity().firmware()).isEqualTo(identity.get("firmware").asText());

        Map<String, Reading> actual = new TreeMap<>();
        result.readings().forEach(r -> actual.put(MetricDictionary.displayKey(r.metric(), r.instance()), r));
        Map<String, JsonNode> wanted = new TreeMap<>();
        expected.get("readings").forEach(r ->
                wanted.put(MetricDictionary.displayKey(r.get("metric").asText(), r.get("instance").asText()), r));
        assertThat(actual.keySet()).isEqualTo(wanted.keySet());
        assertThat(result.readings()).hasSameSizeAs(actual.keySet());
        for (Map.Entry<String, JsonNode> want : wanted.entrySet()) {
            Reading reading = actual.get(want.getKey());
            assertThat(reading.value()).as(want.getKey()).isCloseTo(want.getValue().get("value").asDouble(), within(1e-9));
            assertThat(reading.quality().name()).as(want.getKey())
                    .isEqualTo("QUALITY_" + want.getValue().get("quality").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void case_versionReply_isIdentifiedByItsProfileOnly(Path dir) throws Exception {
        JsonNode expected = expected(dir);
        String own = expected.get("profile").asText();
        for (FirmwareProfile profile : CATALOG.all()) {
            String command = profile.identify().command();
            Path file = dir.resolve(command + ".json");
            if (!Files.exists(file)) {
                continue;
            }
            JsonNode reply = CgminerReply.parse(command, Files.readString(file, StandardCharsets.UTF_8)).root();
            assertThat(CgminerReadings.identifies(profile, reply)).as(profile.id()).isEqualTo(profile.id().equals(own));
        }
    }

    private static JsonNode expected(Path dir) {
        try {
            return JSON.readTree(dir.resolve("expected-readings.json").toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
