package io.headroom.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Writes the JSON Schema (draft 2020-12) of a config file from the same records the binder binds, so
 * the schema editors complete against cannot drift from what the binder accepts.
 */
public final class JsonSchemas {

    private JsonSchemas() {}

    /**
     * The schema of a record type as the root of a file.
     *
     * @param id the schema's {@code $id}, e.g. {@code https://headroom.io/schemas/agent.schema.json}
     * @param title the schema's title
     * @param extensions for each record type with an {@link OtherKeys} component: the keys it may carry
     *     and the record each one binds to (a device's {@code cgminer:} block); absent means any key
     */
    public static ObjectNode of(
            Class<? extends Record> root,
            String id,
            String title,
            Map<Class<? extends Record>, Map<String, Class<? extends Record>>> extensions) {
        return new JsonSchemaWriter(root, extensions).write(id, title);
    }
}
