package io.headroom.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Writes one schema (draft 2020-12): the root record inline, every other record once under
 * {@code $defs}, referred to by {@code $ref}. It reads the same {@link RecordModel} the binder binds
 * with, so keys, required keys, defaults and bounds cannot drift apart.
 */
final class JsonSchemaWriter {

    static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+\\.[0-9]+");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final Class<?> root;
    private final Map<Class<? extends Record>, Map<String, Class<? extends Record>>> extensions;
    private final Map<Class<?>, String> names = new HashMap<>();
    private final Set<String> taken = new HashSet<>();
    private final ObjectNode defs = json.objectNode();

    JsonSchemaWriter(Class<?> root, Map<Class<? extends Record>, Map<String, Class<? extends Record>>> extensions) {
        this.root = root;
        this.extensions = extensions == null ? Map.of() : extensions;
    }

    ObjectNode write(String id, String title) {
        ObjectNode schema = json.objectNode();
        schema.put("$schema", DRAFT);
        schema.put("$id", id);
        schema.put("title", title);
        schema.setAll(record(root));
        if (!defs.isEmpty()) {
            schema.set("$defs", defs);
        }
        return schema;
    }

    private ObjectNode record(Class<?> type) {
        RecordModel model = RecordModel.of(type);
        ObjectNode schema = json.objectNode();
        Doc doc = type.getAnnotation(Doc.class);
        if (doc != null) {
            schema.put("description", doc.value());
        }
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = json.arrayNode();
        for (RecordModel.Component c : model.components()) {
            if (c.otherKeys()) {
                continue;
            }
            ObjectNode property = (ObjectNode) of(c.type());
            if (c.doc() != null) {
                property.put("description", c.doc());
            }
            if (c.defaultText() != null) {
                property.set("default", defaultValue(c, c.defaultText()));
            }
            if (c.bounds() != null) {
                bounds(property, c.bounds());
            }
            properties.set(c.key(), property);
            if (c.required()) {
                required.add(c.key());
            }
        }
        boolean closed = true;
        if (model.otherKeys() != null) {
            Map<String, Class<? extends Record>> known = extensions.get(type);
            if (known == null) {
                closed = false;
            } else {
                known.forEach((key, recordType) -> properties.set(key, ref(recordType)));
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        schema.put("additionalProperties", !closed);
        return schema;
    }

    private JsonNode of(Type type) {
        if (Types.isOptional(type)) {
            return of(Types.arg(type, 0));
        }
        if (Types.isList(type)) {
            ObjectNode array = json.objectNode().put("type", "array");
            array.set("items", of(Types.arg(type, 0)));
            return array;
        }
        if (Types.isMap(type)) {
            ObjectNode object = json.objectNode().put("type", "object");
            object.set("additionalProperties", of(Types.arg(type, 1)));
            return object;
        }
        Class<?> c = Types.box(Types.raw(type));
        if (c == ConfigNode.class) {
            return json.objectNode();
        }
        if (Types.isRecord(c)) {
            return ref(c);
        }
        if (c == SecretRef.class) {
            return secret();
        }
        if (c.isEnum()) {
            return spellings(c);
        }
        if (c == Integer.class || c == Long.class) {
            return json.objectNode().put("type", "integer");
        }
        if (c == Double.class) {
            return json.objectNode().put("type", "number");
        }
        if (c == Boolean.class) {
            return json.objectNode().put("type", "boolean");
        }
        if (c == Duration.class) {
            return json.objectNode().put("type", "string").put("pattern", Durations.PATTERN);
        }
        if (c == DataSize.class) {
            return json.objectNode().put("type", "string").put("pattern", DataSize.PATTERN);
        }
        if (c == URI.class) {
            return json.objectNode().put("type", "string").put("format", "uri");
        }
        if (c == String.class || c == Path.class) {
            return json.objectNode().put("type", "string");
        }
        throw new IllegalStateException("no schema for " + type.getTypeName());
    }

    /** A record's {@code $ref}; its schema is written into {@code $defs} the first time. */
    private ObjectNode ref(Class<?> type) {
        if (type == root) {
            return json.objectNode().put("$ref", "#");
        }
        String name = names.get(type);
        if (name == null) {
            name = uniqueName(type);
            names.put(type, name);
            defs.set(name, json.objectNode());
            defs.set(name, record(type));
        }
        return json.objectNode().put("$ref", "#/$defs/" + name);
    }

    private String uniqueName(Class<?> type) {
        String name = type.getSimpleName();
        if (taken.contains(name)) {
            String binary = type.getName();
            name = binary.substring(binary.lastIndexOf('.') + 1).replace('$', '.');
        }
        String candidate = name;
        for (int n = 2; taken.contains(candidate); n++) {
            candidate = name + n;
        }
        taken.add(candidate);
        return candidate;
    }

    private ObjectNode secret() {
        ObjectNode file = json.objectNode().put("type", "object");
        file.putObject("properties")
                .putObject("file")
                .put("type", "string")
                .put("description", "a file whose first line is the secret");
        file.putArray("required").add("file");
        file.put("additionalProperties", false);
        ObjectNode credential = json.objectNode().put("type", "object");
        credential
                .putObject("properties")
                .putObject("credential")
                .put("type", "string")
                .put("pattern", "^[A-Za-z0-9_.-]{1,255}$")
                .put("description", "a systemd credential's name");
        credential.putArray("required").add("credential");
        credential.put("additionalProperties", false);
        ObjectNode schema = json.objectNode();
        schema.putArray("oneOf").add(file).add(credential);
        return schema;
    }

    /** Each spelling, and its number or boolean too where YAML would read it as one ({@code version: 1}). */
    private ObjectNode spellings(Class<?> type) {
        ObjectNode schema = json.objectNode();
        ArrayNode values = schema.putArray("enum");
        for (String spelling : EnumSpellings.of(type).keySet()) {
            values.add(spelling);
            if (INTEGER.matcher(spelling).matches()) {
                values.add(Long.parseLong(spelling));
            } else if (DECIMAL.matcher(spelling).matches()) {
                values.add(Double.parseDouble(spelling));
            } else if (spelling.equals("true") || spelling.equals("false")) {
                values.add(Boolean.parseBoolean(spelling));
            }
        }
        return schema;
    }

    private JsonNode defaultValue(RecordModel.Component c, String text) {
        if (text.startsWith("[") || text.startsWith("{")) {
            try {
                return YAML.readTree(text);
            } catch (IOException e) {
                throw new IllegalStateException(c.where() + ": @Default(\"" + text + "\") is not YAML", e);
            }
        }
        Type valueType = c.valueType();
        Class<?> boxed = valueType instanceof Class ? Types.box((Class<?>) valueType) : Object.class;
        if (boxed == Integer.class || boxed == Long.class) {
            return json.numberNode(Long.parseLong(text.startsWith("+") ? text.substring(1) : text));
        }
        if (boxed == Double.class) {
            return json.numberNode(Double.parseDouble(text));
        }
        if (boxed == Boolean.class) {
            return json.booleanNode(Boolean.parseBoolean(text));
        }
        return json.textNode(text);
    }

    private void bounds(ObjectNode property, Bounds bounds) {
        putBound(property, "minimum", bounds.min());
        putBound(property, "maximum", bounds.max());
    }

    private static void putBound(ObjectNode property, String keyword, @Nullable Object bound) {
        if (bound instanceof Integer || bound instanceof Long) {
            property.put(keyword, ((Number) bound).longValue());
        } else if (bound instanceof Double) {
            property.put(keyword, (Double) bound);
        }
    }
}
