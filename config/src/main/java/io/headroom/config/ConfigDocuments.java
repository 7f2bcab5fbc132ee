package io.headroom.config;

import java.io.IOException;
import java.nio.file.Path;

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
        throw new UnsupportedOperationException("config module: parse not implemented yet");
    }

    /** Reads and parses a file; problems carry the file's name as given. */
    public static ConfigNode read(Path file) throws ConfigException, IOException {
        throw new UnsupportedOperationException("config module: read not implemented yet");
    }

    /**
     * Lays {@code override} over {@code base} for {@code extends:}: mappings merge key by key
     * (recursively), anything else in the override replaces the base's value (lists are replaced, not
     * appended). Every node keeps the origin of the file it came from, so a problem in an inherited
     * key points into the parent file.
     */
    public static ConfigNode overlay(ConfigNode base, ConfigNode override) {
        throw new UnsupportedOperationException("config module: overlay not implemented yet");
    }
}
