package io.headroom.controller.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.headroom.config.JsonSchemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The published {@code docs/schemas/site.schema.json} is exactly what {@link SiteFile}'s records give,
 * in the layout of the other published schemas. Regenerate it with
 * {@code ./mvnw -B -pl controller verify -Dtest=SiteSchemaTest -Dheadroom.writeSchemas=true}.
 */
class SiteSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path PUBLISHED = SiteLoaderTest.ROOT.resolve("docs/schemas/site.schema.json");

    private static String generated() throws Exception {
        return JSON.writeValueAsString(JsonSchemas.of(
                        SiteFile.class,
                        "https://headroom.io/schemas/site.schema.json",
                        "Headroom site model (site.yaml)",
                        Map.of()))
                + "\n";
    }

    @Test
    void publishedSchema_isCurrent() throws Exception {
        String generated = generated();
        if (Boolean.getBoolean("headroom.writeSchemas")) {
            Files.writeString(PUBLISHED, generated, StandardCharsets.UTF_8);
        }
        assertThat(PUBLISHED)
                .as("docs/schemas/site.schema.json is missing: rerun with -Dheadroom.writeSchemas=true")
                .exists();
        assertThat(Files.readString(PUBLISHED, StandardCharsets.UTF_8))
                .as("docs/schemas/site.schema.json is stale: rerun with -Dheadroom.writeSchemas=true")
                .isEqualTo(generated);
    }

    @Test
    void schema_namesTheKeysOfTheDocs() throws Exception {
        JsonNode schema = JSON.readTree(generated());

        assertThat(schema.get("required")).extracting(JsonNode::asText).contains("site", "limit-kw");
        assertThat(schema.get("properties").fieldNames())
                .toIterable()
                .containsExactly(
                        "site", "limit-kw", "meter", "stale-after", "classes", "feeds", "zones", "grid-schedule");
        assertThat(schema.at("/$defs/SiteDevice/properties").fieldNames())
                .toIterable()
                .contains("id", "agent", "class", "outlet", "nameplate-w", "maintenance", "never-touch");
    }
}
