package io.headroom.agent.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.agent.TestDevices;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.MetricDictionary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks {@code firmware-profiles/src/test/resources/cases/<vendor>/<model>/<case>/} for every driver
 * kind: each folder holds the captures of one device (the driver's own format) and an
 * {@code expected-readings.json} naming the profile and what the driver must make of them. The case
 * runs through the {@link GoldenCaseRunner} of the profile's driver, found by {@link ServiceLoader}. A
 * new quirk is a new folder and a new driver kind is a new runner: this class does not change.
 */
public class GoldenCasesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, GoldenCaseRunner> RUNNERS = StreamSupport.stream(
                    ServiceLoader.load(GoldenCaseRunner.class).spliterator(), false)
            .collect(Collectors.toMap(GoldenCaseRunner::driver, r -> r));

    /** The cases folder of the firmware-profiles module. */
    public static Path casesRoot() {
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(base)
                .resolve("../firmware-profiles/src/test/resources/cases")
                .normalize();
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
    void everyUsableProfile_hasCases_andEveryDriverARunner() throws IOException {
        List<String> profiles = cases().stream()
                .map(GoldenCasesTest::expected)
                .map(e -> e.get("profile").asText())
                .distinct()
                .collect(Collectors.toList());
        assertThat(profiles)
                .containsExactlyInAnyOrderElementsOf(
                        TestDevices.PROFILES.byProfile().keySet());
        assertThat(RUNNERS.keySet()).containsExactlyInAnyOrderElementsOf(TestDevices.DRIVERS.names());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void case_capturesThroughTheDriver_giveTheExpectedReadings(Path dir) throws IOException {
        JsonNode expected = expected(dir);
        FirmwareProfile profile = TestDevices.profile(expected.get("profile").asText());
        GoldenCaseRunner runner = RUNNERS.get(profile.driver());
        assertThat(runner)
                .as("golden case runner of driver " + profile.driver())
                .isNotNull();

        PollResult result = runner.run(profile, TestDevices.PROFILES.compiled(profile.id()), dir);

        assertThat(result.health().name())
                .isEqualTo("DEVICE_HEALTH_" + expected.get("health").asText());
        assertThat(result.reason()).isEqualTo(expected.get("reason").asText());
        JsonNode identity = expected.get("identity");
        if (identity != null && !identity.isNull()) {
            assertThat(result.identity()).isNotNull();
            assertThat(result.identity().model())
                    .isEqualTo(identity.get("model").asText());
            assertThat(result.identity().firmware())
                    .isEqualTo(identity.get("firmware").asText());
        }

        Map<String, Reading> actual = new TreeMap<>();
        result.readings().forEach(r -> actual.put(MetricDictionary.displayKey(r.metric(), r.instance()), r));
        Map<String, JsonNode> wanted = new TreeMap<>();
        expected.get("readings")
                .forEach(r -> wanted.put(
                        MetricDictionary.displayKey(
                                r.get("metric").asText(), r.get("instance").asText()),
                        r));
        assertThat(actual.keySet()).isEqualTo(wanted.keySet());
        assertThat(result.readings()).hasSameSizeAs(actual.keySet());
        for (Map.Entry<String, JsonNode> want : wanted.entrySet()) {
            Reading reading = actual.get(want.getKey());
            assertThat(reading.value())
                    .as(want.getKey())
                    .isCloseTo(want.getValue().get("value").asDouble(), within(1e-9));
            assertThat(reading.quality().name())
                    .as(want.getKey())
                    .isEqualTo("QUALITY_" + want.getValue().get("quality").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void case_isIdentifiedByItsOwnProfileOnly_amongItsDriversProfiles(Path dir) throws IOException {
        String own = expected(dir).get("profile").asText();
        String driver = TestDevices.profile(own).driver();
        GoldenCaseRunner runner = RUNNERS.get(driver);
        for (FirmwareProfile profile : TestDevices.PROFILES.catalog().all()) {
            if (!profile.driver().equals(driver)) {
                continue;
            }
            assertThat(runner.identifies(profile, TestDevices.PROFILES.compiled(profile.id()), dir))
                    .as(profile.id())
                    .isEqualTo(profile.id().equals(own));
        }
    }

    private static JsonNode expected(Path dir) {
        try {
            return JSON.readTree(dir.resolve("expected-readings.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
