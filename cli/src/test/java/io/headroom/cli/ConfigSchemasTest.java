package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published JSON Schemas ({@code docs/schemas/}) are exactly what the binder's records give, and
 * every shipped example validates against its schema. After changing a config record, regenerate
 * with {@code ./mvnw -B -pl cli -am verify -Dtest=ConfigSchemasTest -Dheadroom.writeSchemas=true}.
 */
class ConfigSchemasTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("..")
            .normalize();
    private static final YAMLMapper YAML = new YAMLMapper();

    private static Path published(ConfigSchemas schema) {
        return ROOT.resolve("docs/schemas").resolve(schema.fileName());
    }

    @ParameterizedTest
    @EnumSource(ConfigSchemas.class)
    void publishedSchema_isCurrent(ConfigSchemas schema) throws Exception {
        String generated = SchemaCommand.render(schema) + "\n";
        if (Boolean.getBoolean("headroom.writeSchemas")) {
            Files.writeString(published(schema), generated, StandardCharsets.UTF_8);
        }
        assertThat(published(schema))
                .as("docs/schemas/" + schema.fileName() + " is stale: rerun with -Dheadroom.writeSchemas=true")
                .exists();
        assertThat(Files.readString(published(schema), StandardCharsets.UTF_8)).isEqualTo(generated);
    }

    static List<Path> builtInProfiles() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT.resolve("firmware-profiles/src/main/resources/profiles"))) {
            return walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void shippedAgentExample_validates() throws Exception {
        assertThat(problems(ConfigSchemas.AGENT, ROOT.resolve("agent/src/dist/agent.example.yaml")))
                .isEmpty();
    }

    @Test
    void shippedControllerExample_validates() throws Exception {
        assertThat(problems(ConfigSchemas.CONTROLLER, ROOT.resolve("controller/src/dist/controller.example.yaml")))
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("builtInProfiles")
    void builtInProfile_validates(Path file) throws Exception {
        assertThat(problems(ConfigSchemas.PROFILE, file)).isEmpty();
    }

    @Test
    void profileSchema_requiresEveryKeyOfAProfileThatInheritsNothing() throws Exception {
        Path dir = Files.createTempDirectory("headroom-schema");
        Path bare = dir.resolve("bare.yaml");
        Files.writeString(bare, "id: acme/m1\nvendor: acme\n", StandardCharsets.UTF_8);

        assertThat(problems(ConfigSchemas.PROFILE, bare))
                .extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("driver"))
                .anySatisfy(m -> assertThat(m).contains("nameplate"));
    }

    @Test
    void schema_refusesWhatTheBinderRefuses() throws Exception {
        Path dir = Files.createTempDirectory("headroom-schema");
        Path bad = dir.resolve("agent.yaml");
        Files.writeString(bad, """
                agent-id: a1
                site: s1
                mqtt: {url: tcp://127.0.0.1:1883, password: inline-secret, keep-alive: 30 seconds}
                devices:
                  - {id: m1, profile: luxor/luxos, cgminer: {host: 10.0.0.1, prot: 4028}}
                """, StandardCharsets.UTF_8);

        Set<ValidationMessage> problems = problems(ConfigSchemas.AGENT, bad);

        assertThat(problems)
                .extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("password"))
                .anySatisfy(m -> assertThat(m).contains("keep-alive"))
                .anySatisfy(m -> assertThat(m).contains("prot"));
    }

    private static Set<ValidationMessage> problems(ConfigSchemas schema, Path yaml) throws Exception {
        // The generated schema, which publishedSchema_isCurrent holds equal to the published file.
        JsonSchema compiled =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema.schema());
        return compiled.validate(YAML.readTree(yaml.toFile()));
    }
}
