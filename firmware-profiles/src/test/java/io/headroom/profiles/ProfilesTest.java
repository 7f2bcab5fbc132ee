package io.headroom.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Checks the data of this module with its real loader: every profile is listed in the index and
 * loads, and every golden case names a usable profile and its source. Whether a case's captures give
 * its expected readings is checked by the agent's {@code GoldenCasesTest}, through each driver.
 */
class ProfilesTest {

    private static final Path PROFILES = Path.of("src/main/resources/profiles");
    private static final Path CASES = Path.of("src/test/resources/cases");
    private static final ProfileCatalog CATALOG = ProfileCatalog.loadBuiltIn();

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

    @Test
    void everyIndexedProfile_loadsWithTheRealLoader_andIsUsableUnlessAbstract() throws IOException {
        // loadBuiltIn() throws listing every problem of every file; reaching here means none.
        Set<String> indexedIds = indexed().stream()
                .map(f -> f.substring(0, f.length() - ".yaml".length()))
                .collect(Collectors.toSet());
        assertThat(CATALOG.ids()).isNotEmpty();
        assertThat(indexedIds).containsAll(CATALOG.ids());
        for (FirmwareProfile profile : CATALOG.all()) {
            assertThat(profile.models()).as(profile.id()).isNotEmpty();
            assertThat(profile.match()).as(profile.id()).isNotEmpty();
            assertThat(profile.isAbstract()).isFalse();
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
    void case_namesAUsableProfile_andHasItsSource(Path dir) throws IOException {
        JsonNode expected = new ObjectMapper()
                .readTree(dir.resolve("expected-readings.json").toFile());
        String profileId = expected.get("profile").asText();

        assertThat(CATALOG.find(profileId)).as("usable profile " + profileId).isPresent();
        assertThat(dir.resolve("SOURCE.md")).exists();
        assertThat(expected.get("health").asText()).isIn("ONLINE", "DEGRADED", "OFFLINE");
        assertThat(expected.get("readings").isArray()).isTrue();
    }
}
