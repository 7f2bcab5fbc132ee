package io.headroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.agent.config.AgentFile;
import io.headroom.agent.config.DeviceEntry;
import io.headroom.agent.driver.BuiltInDrivers;
import io.headroom.agent.driver.DriverRegistry;
import io.headroom.config.JsonSchemas;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.profiles.FirmwareProfile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON Schema of each Headroom config file, written from the records the binder binds (so it
 * cannot drift), for editors' completion. Published in {@code docs/schemas/}; {@code ConfigSchemasTest}
 * checks the published files are current and that every shipped example validates.
 */
enum ConfigSchemas {
    /** {@code agent.yaml}, with each built-in driver's device block. */
    AGENT("agent"),
    /** {@code controller.yaml}. */
    CONTROLLER("controller"),
    /** A firmware profile's common header; {@code match:} rules and {@code points:} are per driver. */
    PROFILE("profile");

    /** Where the published schemas are named from. */
    static final String BASE_ID = "https://headroom.io/schemas/";

    private final String file;

    ConfigSchemas(String file) {
        this.file = file;
    }

    /** The published file name, e.g. {@code agent.schema.json}. */
    String fileName() {
        return file + ".schema.json";
    }

    /**
     * A profile that extends another, or a family base, may leave out what it inherits or leaves to its
     * children: only a profile that is neither must have every required key itself.
     */
    private static ObjectNode inheritable(ObjectNode schema) {
        JsonNode required = schema.remove("required");
        schema.putArray("required").add("id");
        ObjectNode condition = schema.putObject("if");
        ArrayNode either = condition.putArray("anyOf");
        either.addObject().putArray("required").add("extends");
        ObjectNode isAbstract = either.addObject();
        isAbstract.putArray("required").add("abstract");
        isAbstract.putObject("properties").putObject("abstract").put("const", true);
        schema.putObject("else").set("required", required);
        return schema;
    }

    /** The schema. */
    ObjectNode schema() {
        switch (this) {
            case AGENT: {
                DriverRegistry drivers = BuiltInDrivers.registry();
                Map<String, Class<? extends Record>> blocks = new LinkedHashMap<>();
                for (String name : drivers.names()) {
                    blocks.put(name, drivers.factory(name).orElseThrow().settingsType());
                }
                return JsonSchemas.of(
                        AgentFile.class,
                        BASE_ID + fileName(),
                        "Headroom agent (agent.yaml)",
                        Map.of(DeviceEntry.class, blocks));
            }
            case CONTROLLER:
                return JsonSchemas.of(
                        ControllerConfig.class,
                        BASE_ID + fileName(),
                        "Headroom controller (controller.yaml)",
                        Map.of());
            default:
                return inheritable(JsonSchemas.of(
                        FirmwareProfile.class, BASE_ID + fileName(), "Headroom firmware profile", Map.of()));
        }
    }
}
