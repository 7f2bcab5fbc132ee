package io.headroom.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads YAML text into a {@link ConfigNode} tree that remembers every line. */
public final class ConfigDocuments {

    private ConfigDocuments() {}

    /**
     * Parses one YAML document.
     *
     * @param file the name problems will carry, e.g. {@code agent.yaml}
     * @throws ConfigException for a syntax error (with its line), duplicate keys (each one), several
     *     documents in one file, anchors/aliases/tags (refused: a config must be readable as written)
     */
    public static ConfigNode parse(String file, String yaml) throws ConfigException {
        return YamlTreeReader.read(file, yaml);
    }

    /** Reads and parses a file; problems carry the file's name as given. */
    public static ConfigNode read(Path file) throws ConfigException, IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, "", "is not UTF-8 text")));
        }
        return parse(file.toString(), text);
    }

    /**
     * Lays {@code override} over {@code base} for {@code extends:}: mappings merge key by key
     * (recursively), anything else in the override replaces the base's value (lists are replaced, not
     * appended). Every node keeps the origin of the file it came from, so a problem in an inherited
     * key points into the parent file.
     */
    public static ConfigNode overlay(ConfigNode base, ConfigNode override) {
        if (!(base instanceof ConfigNode.Mapping) || !(override instanceof ConfigNode.Mapping)) {
            return override;
        }
        Map<String, ConfigNode.Entry> baseEntries = ((ConfigNode.Mapping) base).entries();
        Map<String, ConfigNode.Entry> overrideEntries = ((ConfigNode.Mapping) override).entries();
        Map<String, ConfigNode.Entry> merged = new LinkedHashMap<>(baseEntries);
        for (ConfigNode.Entry entry : overrideEntries.values()) {
            ConfigNode.Entry inherited = baseEntries.get(entry.key());
            ConfigNode value = inherited == null ? entry.value() : overlay(inherited.value(), entry.value());
            merged.put(entry.key(), new ConfigNode.Entry(entry.key(), entry.keyOrigin(), value));
        }
        return new ConfigNode.Mapping(merged, override.origin());
    }
}
