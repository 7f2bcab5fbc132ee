package io.headroom.agent.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.headroom.protocol.DeviceKinds;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.Verb;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The firmware profiles known to this agent, by id. The built-in set is read from the classpath
 * (the {@code headroom-firmware-profiles} jar): {@code profiles/index.txt} lists the files, one
 * per line, so nothing depends on scanning jars.
 *
 * <p>Profiles are strict: an unknown key, a missing key or a bad value fails the whole load with a
 * message naming the file and the key — a broken built-in profile is a build error, not something
 * to run half of.
 */
public final class ProfileCatalog {

    /** Classpath folder of the built-in profiles. */
    public static final String BUILT_IN_ROOT = "profiles/";

    private static final YAMLMapper YAML = new YAMLMapper();

    private final Map<String, FirmwareProfile> byId;

    private ProfileCatalog(Map<String, FirmwareProfile> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    /** A catalog of the given profiles; ids must be unique. */
    public static ProfileCatalog of(FirmwareProfile... profiles) {
        Map<String, FirmwareProfile> byId = new LinkedHashMap<>();
        for (FirmwareProfile profile : profiles) {
            if (byId.put(profile.id(), profile) != null) {
                throw new IllegalArgumentException("duplicate profile id " + profile.id());
            }
        }
        return new ProfileCatalog(byId);
    }

    /**
     * Loads every profile listed in {@code profiles/index.txt} on the classpath.
     *
     * @throws IllegalStateException when the index or a listed profile is missing or invalid
     */
    public static ProfileCatalog loadBuiltIn() {
        ClassLoader loader = ProfileCatalog.class.getClassLoader();
        String index = readResource(loader, BUILT_IN_ROOT + "index.txt");
        List<FirmwareProfile> profiles = new ArrayList<>();
        for (String line : index.split("\n")) {
            String file = line.strip();
            if (file.isEmpty() || file.startsWith("#")) {
                continue;
            }
            profiles.add(parse(readResource(loader, BUILT_IN_ROOT + file), file));
        }
        return of(profiles.toArray(FirmwareProfile[]::new));
    }

    /** The profile with this id. */
    public Optional<FirmwareProfile> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every profile, in index order. */
    public Collection<FirmwareProfile> all() {
        return byId.values();
    }

    /** Ids of every profile, in index order. */
    public Set<String> ids() {
        return byId.keySet();
    }

    private static String readResource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("firmware profile resource " + name
                        + " not on the classpath (is headroom-firmware-profiles missing?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /**
     * Parses one profile document.
     *
     * @param source file name used in error messages; when it ends in {@code <vendor>/<name>.yaml}
     *     the id must match it
     * @throws IllegalStateException naming the source and the key for any problem
     */
    public static FirmwareProfile parse(String yaml, String source) {
        try {
            JsonNode root = YAML.readTree(yaml);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("document must be a mapping");
            }
            Strict top = new Strict((ObjectNode) root, "");
            String id = top.text("id");
            String expected = source.endsWith(".yaml") ? source.substring(0, source.length() - 5) : null;
            if (expected != null && expected.contains("/") && !expected.endsWith(id)) {
                throw new IllegalArgumentException("id: '" + id + "' does not match file " + source);
            }
            Strict identify = top.object("identify");
            Identify identity = new Identify(identify.text("command"), identify.text("path"),
                    compile(identify.text("pattern")));
            identify.finish();

            List<String> reads = new ArrayList<>();
            for (JsonNode read : top.array("reads")) {
                reads.add(requireText(read, "reads[]"));
            }
            List<FieldMapping> fields = new ArrayList<>();
            int i = 0;
            for (JsonNode node : top.array("fields")) {
                fields.add(field(new Strict(requireObject(node, "fields[" + i + "]"), "fields[" + i + "]")));
                i++;
            }
            Optional<SessionSpec> session = Optional.empty();
            if (top.has("session")) {
                Strict s = top.object("session");
                session = Optional.of(new SessionSpec(s.text("logon"), s.text("logoff"), s.text("id-path")));
                s.finish();
            }
            Map<Verb, ControlMapping> controls = new EnumMap<>(Verb.class);
            Strict controlsNode = top.object("controls");
            for (String name : controlsNode.keys()) {
                Verb verb = verb(name);
                Strict c = controlsNode.object(name);
                Strict rb = c.object("read-back");
                ReadBack readBack = new ReadBack(rb.text("metric"), mode(rb.text("expect"), "read-back.expect"));
                rb.finish();
                controls.put(verb, new ControlMapping(verb, c.text("command"), c.text("parameter"), readBack));
                c.finish();
            }
            controlsNode.finish();
            FirmwareProfile profile = new FirmwareProfile(
                    id,
                    top.text("vendor"),
                    top.text("description"),
                    top.text("driver"),
                    DeviceKinds.parse(top.text("kind")),
                    top.integer("default-port"),
                    top.number("nameplate-power-watts"),
                    identity,
                    reads,
                    top.has("board-stats") ? top.text("board-stats") : "",
                    fields,
                    session,
                    controls);
            top.finish();
            return profile;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("firmware profile " + source + ": not valid YAML: "
                    + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("firmware profile " + source + ": " + e.getMessage(), e);
        }
    }

    private static FieldMapping field(Strict f) {
        Map<String, Mode> states = new LinkedHashMap<>();
        if (f.has("states")) {
            Strict s = f.object("states");
            for (String text : s.keys()) {
                states.put(text, mode(s.text(text), f.where + ".states." + text));
            }
            s.finish();
        }
        FieldMapping mapping = new FieldMapping(
                f.text("metric"),
                f.has("instance") ? f.text("instance") : "",
                f.text("command"),
                f.text("path"),
                f.has("scale") ? f.number("scale") : 1.0,
                states);
        f.finish();
        return mapping;
    }

    private static Verb verb(String name) {
        switch (name) {
            case "sleep": return Verb.VERB_SLEEP;
            case "wake": return Verb.VERB_WAKE;
            case "set-power-target": return Verb.VERB_SET_POWER_TARGET;
            default: throw new IllegalArgumentException("controls." + name
                    + ": unknown verb; known: sleep, wake, set-power-target");
        }
    }

    private static Mode mode(String name, String where) {
        try {
            return Mode.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": unknown mode '" + name
                    + "'; known: sleep, normal, low-power, high-power", e);
        }
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("identify.pattern: " + e.getDescription(), e);
        }
    }

    private static String requireText(JsonNode node, String where) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException(where + ": must be text");
        }
        return node.asText();
    }

    private static ObjectNode requireObject(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": must be a mapping");
        }
        return (ObjectNode) node;
    }

    /** Reads keys of one mapping and, on {@link #finish}, rejects the keys nobody asked for. */
    private static final class Strict {
        private final ObjectNode node;
        private final String where;
        private final Set<String> used = new java.util.HashSet<>();

        Strict(ObjectNode node, String where) {
            this.node = node;
            this.where = where;
        }

        private String at(String key) {
            return where.isEmpty() ? key : where + "." + key;
        }

        boolean has(String key) {
            used.add(key);
            return node.has(key) && !node.get(key).isNull();
        }

        private JsonNode require(String key) {
            used.add(key);
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                throw new IllegalArgumentException(at(key) + ": missing");
            }
            return value;
        }

        String text(String key) {
            JsonNode value = require(key);
            if (!value.isValueNode() || value.isContainerNode()) {
                throw new IllegalArgumentException(at(key) + ": must be text");
            }
            return value.asText();
        }

        int integer(String key) {
            JsonNode value = require(key);
            if (!value.canConvertToInt() || !value.isIntegralNumber()) {
                throw new IllegalArgumentException(at(key) + ": must be an integer");
            }
            return value.intValue();
        }

        double number(String key) {
            JsonNode value = require(key);
            if (!value.isNumber()) {
                throw new IllegalArgumentException(at(key) + ": must be a number");
            }
            return value.doubleValue();
        }

        Strict object(String key) {
            return new Strict(requireObject(require(key), at(key)), at(key));
        }

        Iterable<JsonNode> array(String key) {
            JsonNode value = require(key);
            if (!value.isArray()) {
                throw new IllegalArgumentException(at(key) + ": must be a list");
            }
            return value;
        }

        List<String> keys() {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            used.addAll(keys);
            return keys;
        }

        void finish() {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!used.contains(key)) {
                    throw new IllegalArgumentException(at(key) + ": unknown key");
                }
            }
        }
    }
}
