package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema written from records accepts what the binder accepts and refuses what it refuses, checked
 * with an independent validator (networknt) on YAML converted to JSON by Jackson.
 */
class JsonSchemasTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonSchemaFactory VALIDATORS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final String ID = "https://headroom.io/schemas/site.schema.json";

    enum Version {
        @ConfigValue("1")
        V1,
        @ConfigValue("2c")
        V2C,
        @ConfigValue("3")
        V3
    }

    @Doc("How to reach one SNMP agent.")
    record Snmp(
            @Doc("The protocol version.") Version version,
            @Default("161") @Range(min = "1", max = "65535") int port,
            Optional<SecretRef> community) {}

    record Cgminer(
            @Default("4028") int port, @Default("false") boolean privileged) {}

    record Device(
            String id,
            Optional<Snmp> snmp,
            @Default("10s") Duration pollInterval,
            @OtherKeys Map<String, ConfigNode> drivers) {}

    record Limits(
            @Range(min = "0.0", max = "1.0") double headroom,
            @Default("true") boolean enforce,
            Optional<DataSize> buffer,
            @Default("0.5") double ratio) {}

    record Group(String name, List<Group> children) {}

    /** A record that shares its simple name with {@link Limits}, to force unique {@code $defs} names. */
    static final class Other {
        record Limits(long watts) {}
    }

    @Doc("A site.")
    record Site(
            String name,
            URI controller,
            @Default("data") Path dataDir,
            List<Device> devices,
            Map<String, Limits> limits,
            List<List<String>> racks,
            Optional<Group> tree,
            Optional<Other.Limits> cap,
            ConfigNode anything,
            Optional<Site> parent) {}

    private static final Map<Class<? extends Record>, Map<String, Class<? extends Record>>> EXTENSIONS =
            Map.of(Device.class, Map.of("cgminer", Cgminer.class));

    private static ObjectNode schema() {
        return JsonSchemas.of(Site.class, ID, "Headroom site", EXTENSIONS);
    }

    private static Set<ValidationMessage> validate(JsonNode schema, String yaml) throws Exception {
        JsonSchema validator = VALIDATORS.getSchema(schema);
        return validator.validate(YAML.readTree(yaml));
    }

    private static final String VALID = String.join(
            "\n",
            "name: north",
            "controller: https://controller.example:8443",
            "devices:",
            "  - id: pdu-1",
            "    snmp: {version: 2c, community: {credential: snmp-ro}}",
            "  - id: pdu-2",
            "    snmp: {version: 3, port: 1161, community: {file: /etc/headroom/c}}",
            "    poll-interval: 500ms",
            "  - id: s19-1",
            "    cgminer: {port: 4029}",
            "limits:",
            "  main: {headroom: 0.1, buffer: 16MiB}",
            "racks: [[a, b], []]",
            "tree: {name: root, children: [{name: leaf, children: []}]}",
            "cap: {watts: 5000}",
            "anything: [1, {two: 2}]",
            "parent: {name: p, controller: 'tcp://x', devices: [], limits: {}, racks: [], anything: 1}",
            "");

    @Test
    void header_andRootRecord() {
        ObjectNode schema = schema();

        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.get("$id").asText()).isEqualTo(ID);
        assertThat(schema.get("title").asText()).isEqualTo("Headroom site");
        assertThat(schema.get("description").asText()).isEqualTo("A site.");
        assertThat(schema.get("type").asText()).isEqualTo("object");
        assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
        assertThat(schema.get("required"))
                .extracting(JsonNode::asText)
                .containsExactly("name", "controller", "anything");
        assertThat(schema.get("properties").fieldNames())
                .toIterable()
                .containsExactly(
                        "name",
                        "controller",
                        "data-dir",
                        "devices",
                        "limits",
                        "racks",
                        "tree",
                        "cap",
                        "anything",
                        "parent");
    }

    @Test
    void types_mapToTheirSchemas() {
        ObjectNode schema = schema();
        JsonNode properties = schema.get("properties");
        JsonNode defs = schema.get("$defs");

        assertThat(properties.get("controller").toString()).isEqualTo("{\"type\":\"string\",\"format\":\"uri\"}");
        assertThat(properties.get("data-dir").toString()).isEqualTo("{\"type\":\"string\",\"default\":\"data\"}");
        assertThat(properties.get("devices").toString())
                .isEqualTo("{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/Device\"}}");
        assertThat(properties.get("limits").toString())
                .isEqualTo("{\"type\":\"object\",\"additionalProperties\":{\"$ref\":\"#/$defs/Limits\"}}");
        assertThat(properties.get("racks").toString())
                .isEqualTo("{\"type\":\"array\",\"items\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}");
        assertThat(properties.get("anything").toString()).isEqualTo("{}");
        assertThat(properties.get("parent").toString()).isEqualTo("{\"$ref\":\"#\"}");
        assertThat(properties.get("cap").get("$ref").asText()).isEqualTo("#/$defs/JsonSchemasTest.Other.Limits");
        assertThat(defs.fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder(
                        "Device", "Snmp", "Cgminer", "Limits", "Group", "JsonSchemasTest.Other.Limits");

        JsonNode snmp = defs.get("Snmp");
        assertThat(snmp.get("description").asText()).isEqualTo("How to reach one SNMP agent.");
        assertThat(snmp.get("required")).extracting(JsonNode::asText).containsExactly("version");
        assertThat(snmp.get("properties").get("version").toString())
                .isEqualTo("{\"enum\":[\"1\",1,\"2c\",\"3\",3]," + "\"description\":\"The protocol version.\"}");
        assertThat(snmp.get("properties").get("port").toString())
                .isEqualTo("{\"type\":\"integer\",\"default\":161,\"minimum\":1,\"maximum\":65535}");
        assertThat(snmp.get("properties").get("community").get("oneOf")).hasSize(2);

        JsonNode device = defs.get("Device");
        assertThat(device.get("properties").get("poll-interval").toString())
                .isEqualTo("{\"type\":\"string\",\"pattern\":\"^[0-9]+(ms|s|m|h|d)$\",\"default\":\"10s\"}");
        assertThat(device.get("properties").get("cgminer").toString()).isEqualTo("{\"$ref\":\"#/$defs/Cgminer\"}");
        assertThat(device.get("additionalProperties").asBoolean()).isFalse();

        JsonNode limits = defs.get("Limits");
        assertThat(limits.get("properties").get("enforce").toString())
                .isEqualTo("{\"type\":\"boolean\",\"default\":true}");
        assertThat(limits.get("properties").get("ratio").get("default").isDouble())
                .isTrue();
        assertThat(limits.get("properties").get("headroom").toString())
                .isEqualTo("{\"type\":\"number\",\"minimum\":0.0,\"maximum\":1.0}");
        assertThat(limits.get("properties").get("buffer").get("pattern").asText())
                .isEqualTo("^[0-9]+(B|KiB|MiB|GiB|TiB|kB|MB|GB|TB)$");
        assertThat(defs.get("Group")
                        .get("properties")
                        .get("children")
                        .get("items")
                        .get("$ref")
                        .asText())
                .isEqualTo("#/$defs/Group");
    }

    @Test
    void otherKeysWithoutExtensions_allowAnyKey() {
        ObjectNode schema = JsonSchemas.of(Device.class, ID, "device", Map.of());

        assertThat(schema.get("additionalProperties").asBoolean()).isTrue();
        assertThat(schema.get("properties").has("cgminer")).isFalse();
    }

    @Test
    void schema_isValidAgainstTheDraft2020Metaschema() {
        JsonSchema meta = VALIDATORS.getSchema(SchemaLocation.of(SchemaId.V202012));

        assertThat(meta.validate(schema())).isEmpty();
    }

    @Test
    void validDocument_passesTheSchemaAndTheBinder() throws Exception {
        assertThat(validate(schema(), VALID)).isEmpty();
        Site site = new ConfigBinder(Path.of("/srv")).bind(ConfigDocuments.parse("site.yaml", VALID), Site.class);
        assertThat(site.devices()).hasSize(3);
    }

    /** Each line replaces one line of {@link #VALID}: "index|new line". Both the schema and the binder refuse it. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "0|nome: north",
                "1|controller: 5",
                "4|    snmp: {version: 4, community: {credential: snmp-ro}}",
                "4|    snmp: {version: 2c, community: public}",
                "4|    snmp: {version: 2c, community: {file: a, credential: b}}",
                "4|    snmp: {version: 2c, community: {credential: 'a/b'}}",
                "6|    snmp: {version: 3, port: 70000}",
                "7|    poll-interval: 500",
                "7|    poll-interval: 1.5s",
                "7|    pol-interval: 5s",
                "9|    cgminer: {port: x}",
                "9|    cgminer: {prot: 1}",
                "9|    bitmain: {port: 1}",
                "11|  main: {headroom: 1.5}",
                "11|  main: {headroom: 0.1, buffer: 16mb}",
                "11|  main: {headroom: 0.1, enforce: 'true'}",
                "11|  main: [1]",
                "12|racks: [a]",
                "13|tree: {name: root, children: [{name: leaf, children: [1]}]}",
                "14|cap: {watts: 1.5}",
                "16|parent: {name: p, controller: 'tcp://x', anything: 1, colour: red}",
            })
    void invalidDocument_failsTheSchemaAndTheBinder(String edit) throws Exception {
        int bar = edit.indexOf('|');
        List<String> lines = new java.util.ArrayList<>(List.of(VALID.split("\n")));
        lines.set(Integer.parseInt(edit.substring(0, bar)), edit.substring(bar + 1));
        String yaml = String.join("\n", lines) + "\n";

        assertThat(validate(schema(), yaml)).as("schema errors for %s", edit).isNotEmpty();
        Problems problems = new Problems();
        ConfigBinder binder = new ConfigBinder(Path.of("/srv"));
        Site site = binder.bind(ConfigDocuments.parse("site.yaml", yaml), Site.class, problems);
        // the extension block is bound by whoever reads the @OtherKeys map, as a caller would
        if (site != null) {
            for (Device device : site.devices()) {
                device.drivers().forEach((key, node) -> {
                    if (key.equals("cgminer")) {
                        binder.bind(node, Cgminer.class, problems);
                    } else {
                        problems.add(node.origin(), "unknown driver");
                    }
                });
            }
        }
        assertThat(problems.list()).as("binder problems for %s", edit).isNotEmpty();
    }

    @Test
    void missingRequiredKey_failsTheSchema() throws Exception {
        assertThat(validate(schema(), VALID.replace("name: north\n", ""))).isNotEmpty();
        assertThat(validate(schema(), VALID.replace("  - id: pdu-1\n", "  - \n")))
                .isNotEmpty();
    }
}
