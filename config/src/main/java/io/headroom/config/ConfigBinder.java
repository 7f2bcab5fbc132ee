package io.headroom.config;

import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
 *   <li>an {@link IllegalArgumentException} (or a {@link NullPointerException} with a message) from a
 *       record's constructor becomes a problem at that record's mapping; when its message starts with
 *       {@code <key>: } where key is one of the record's keys, the problem is placed at that key's line
 *       and path instead; the constructor runs only when every component bound;
 *   <li>after one problem in a component the binder goes on with the others and with the siblings, so
 *       one run lists everything.
 * </ul>
 */
public final class ConfigBinder {

    private final Path baseDir;

    /** @param baseDir directory relative paths resolve against: the config file's own directory */
    public ConfigBinder(Path baseDir) {
        this.baseDir = Objects.requireNonNull(baseDir, "baseDir");
    }

    /**
     * Binds the whole node as one record.
     *
     * @throws ConfigException listing every problem, sorted by file and line
     */
    public <T extends Record> T bind(ConfigNode node, Class<T> type) throws ConfigException {
        Problems problems = new Problems();
        T value = bind(node, type, problems);
        problems.throwIfAny();
        // bindValue gives null only after adding a problem
        return Objects.requireNonNull(value, "no problem and no value");
    }

    /**
     * Binds, adding problems to {@code problems} instead of throwing, for a caller that binds several
     * pieces (a device's common keys, then its driver block) and reports them together.
     *
     * @return the record, or null when a problem prevented it
     */
    public <T extends Record> @Nullable T bind(ConfigNode node, Class<T> type, Problems problems) {
        return type.cast(bindValue(node, type, problems));
    }

    /**
     * Binds a node as any type the binder knows ({@code Map<String, DeviceConfig>}, {@code Duration},
     * {@code List<SecretRef>}), for a caller that walks part of a tree itself. Pass a
     * {@link java.lang.reflect.ParameterizedType} for generic types, e.g. a record component's
     * {@link java.lang.reflect.RecordComponent#getGenericType()}.
     *
     * @return the value, or null when this call added a problem
     * @throws IllegalStateException when the binder cannot bind {@code type} at all, or a record it
     *     reaches is broken (a default that does not parse): mistakes in code, not in the file
     */
    public @Nullable Object bindValue(ConfigNode node, Type type, Problems problems) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(problems, "problems");
        Types.check(type, type.getTypeName(), RecordModel::of);
        int before = problems.size();
        Object value = new Binding(baseDir, problems).value(node, type);
        return problems.size() > before ? null : value;
    }
}
