package io.headroom.config;

import java.nio.file.Path;

/**
 * Binds a {@link ConfigNode} tree to Java records, reporting every problem at once.
 *
 * <p>Rules, the same for every config file:
 * <ul>
 *   <li>a record binds from a mapping; each component from the key named by {@link Key} or its name
 *       in kebab case; keys no component names are refused with a did-you-mean
 *       ({@code pol-interval: unknown key; did you mean poll-interval?}) unless a component is marked
 *       {@link OtherKeys};
 *   <li>types: {@code String}, {@code int}/{@code long}/{@code double} (and boxes), {@code boolean},
 *       enums (kebab case or {@link ConfigValue}), {@link java.time.Duration} ({@code 500ms 10s 2m 1h 1d}),
 *       {@link DataSize}, {@link java.net.URI}, {@link Path} (resolved against the base directory),
 *       {@link SecretRef}, {@link java.util.Optional}, {@link java.util.List} (also of records and lists),
 *       {@link java.util.Map} with {@code String} keys in document order, nested records, and
 *       {@link ConfigNode} itself (kept unbound, with its origin);
 *   <li>{@link Default} fills an absent key; {@link Range} bounds numbers, durations and sizes;
 *   <li>an {@link IllegalArgumentException} from a record's constructor becomes a problem at that
 *       record's mapping; when its message starts with {@code <key>: } where key is one of the record's
 *       keys, the problem is placed at that key's line and path instead;
 *   <li>after one problem in a component the binder goes on with the others and with the siblings, so
 *       one run lists everything.
 * </ul>
 */
public final class ConfigBinder {

    private final Path baseDir;

    /** @param baseDir directory relative paths resolve against: the config file's own directory */
    public ConfigBinder(Path baseDir) {
        this.baseDir = baseDir;
    }

    /**
     * Binds the whole node as one record.
     *
     * @throws ConfigException listing every problem, sorted by file and line
     */
    public <T extends Record> T bind(ConfigNode node, Class<T> type) throws ConfigException {
        throw new UnsupportedOperationException("config module: bind not implemented yet");
    }

    /**
     * Binds, adding problems to {@code problems} instead of throwing, for a caller that binds several
     * pieces (a device's common keys, then its driver block) and reports them together.
     *
     * @return the record, or null when a problem prevented it
     */
    public <T extends Record> T bind(ConfigNode node, Class<T> type, Problems problems) {
        throw new UnsupportedOperationException("config module: bind not implemented yet");
    }
}
