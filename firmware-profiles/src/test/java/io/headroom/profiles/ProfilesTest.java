package io.headroom.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the data of this module on its own: every profile is listed in the index and parses with
 * the required keys, and every golden case is complete. The agent's {@code ProfileCatalogTest}
 * and {@code GoldenCasesTest} check the same files against the real loader and driver.
 */
class ProfilesTest {

    private static final Path PROFILES = Path.of("src/main/resources/profiles");
    private static final Path CASES = Path.of("src/test/resources/cases");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> KEYS = Set.of("id", "vendor", "description", "driver", "kind", "default-port",
            "nameplate-power-watts", "identify", "reads", "board-stats", "fields", "session", "controls");
    private static final Set<String> REQUIRED = Set.of("id", "vendor", "description", "driver", "kind",
            "default-port", "nameplate-power-watts", "identify", "reads", "fields", "controls");

    static List<String> indexed() throws IOException {
        return Files.readAllLines(PROFILES.resolve("index.txt"), StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .collect(Collectors.toList());
    }

    @Test
    void index_listsEveryProfileFile_andNothingElse() throws IOException {
        Set<String> files;
        try (Stream<Path> walk = Files.walk(PROFILES)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml"))
                    .map(p -> PROFILES.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(new TreeSet<>(indexed())).isEqualTo(files);
        assertThat(files).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("indexed")
    void profile_parses_withRequiredKeysAndIdMatchingItsPath(String file) throws IOException {
        JsonNode profile = YAML.readTree(PROFILES.resolve(file).toFile());

        Set<String> keys = new TreeSet<>();
        profile.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsAll(REQUIRED);
        assertThat(KEYS).containsAll(keys);
        assertThat(profile.get("id").asText() + ".yaml").isEqualTo(file);
        assertThat(file).startsWith(profile.get("vendor").asText() + "/");
        assertThat(profile.get("default-port").asInt()).isBetween(1, 65_535);
        assertThat(profile.get("nameplate-power-watts").asDouble()).isPositive();
        assertThat(profile.get("reads").isArray()).isTrue();
        assertThat(profile.get("reads")).isNotEmpty();
        for (JsonNode field : profile.get("fields")) {
            assertThat(profile.get("reads").toString()).contains('"' + field.get("command").asText() + '"');
        }
    }

    static List<Path> cases() throws IOException {
        List<Path> cases = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(CASES)) {
            walk.filter(p -> p.getFileName().toString().equals("expected-readings.json"))
                    .forEach(p -> cases.add(p.getParent()));
        }
        return cases;
    }

    @Test
    void everyCaseFolder_hasExpectedReadings() throws IOException {
        try (Stream<Path> walk = Files.walk(CASES)) {
            List<Path> leaves = walk.filter(Files::isDirectory)
                    .filter(dir -> CASES.relativize(dir).getNameCount() == 3)
                    .collect(Collectors.toList());
            assertThat(leaves).isNotEmpty();
            for (Path leaf : leaves) {
                assertThat(leaf.resolve("expected-readings.json")).exists();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void case_namesAKnownProfile_andHasItsSourceAndEveryReadCommand(Path dir) throws IOException {
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected-readings.json").toFile());
        String profileId = expected.get("profile").asText();

        assertThat(indexed()).contains(profileId + ".yaml");
        assertThat(dir.resolve("SOURCE.md")).exists();
        JsonNode profile = YAML.readTree(PROFILES.resolve(profileId + ".yaml").toFile());
        for (JsonNode command : profile.get("reads")) {
            assertThat(dir.resolve(command.asText() + ".json")).exists();
        }
        assertThat(expected.get("health").asText()).isIn("ONLINE", "DEGRADED", "OFFLINE");
        assertThat(expected.get("readings").isArray()).isTrue();
    }
}
