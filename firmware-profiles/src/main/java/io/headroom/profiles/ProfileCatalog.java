package io.headroom.profiles;

import io.headroom.config.ConfigBinder;
import io.headroom.config.ConfigDocuments;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigNode;
import io.headroom.config.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The firmware profiles known to a process, by id. The built-in set is read from the classpath (this
 * module's jar): {@code profiles/index.txt} lists the files, one per line, so nothing depends on
 * scanning jars. A site may add its own folder of profiles, which may extend the built-in ones.
 *
 * <p>Loading is strict and complete: every file is parsed and every problem of every file is
 * reported at once, each with its file, line and key path; a profile with a problem is never used.
 * {@code extends:} is resolved on the trees before binding ({@link ConfigDocuments#overlay}), so a
 * problem in an inherited key points into the parent's file. Only what is common to all drivers is
 * checked here; a driver's factory checks {@code match:} and {@code points:} of its own profiles.
 */
public final class ProfileCatalog {

    /** Classpath folder of the built-in profiles. */
    public static final String BUILT_IN_ROOT = "profiles/";

    private static final int MAX_DEPTH = 8;

    private final Map<String, FirmwareProfile> byId;

    private ProfileCatalog(Map<String, FirmwareProfile> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    /**
     * The built-in profiles.
     *
     * @throws IllegalStateException listing every problem: a broken built-in profile is a build error
     */
    public static ProfileCatalog loadBuiltIn() {
        try {
            return load(builtInFiles());
        } catch (ConfigException e) {
            throw new IllegalStateException("built-in firmware profiles are broken:\n" + e.getMessage(), e);
        }
    }

    /**
     * The built-in profiles plus every {@code *.yaml} below a site folder ({@code <vendor>/<name>.yaml}),
     * which may extend built-in ones but not replace them.
     *
     * @throws ConfigException listing every problem of every file
     */
    public static ProfileCatalog loadWith(Path siteFolder) throws ConfigException, IOException {
        Map<String, String> files = builtInFiles();
        try (Stream<Path> walk = Files.walk(siteFolder)) {
            for (Path file : (Iterable<Path>)
                    walk.filter(p -> p.toString().endsWith(".yaml")).sorted()::iterator) {
                String name = siteFolder.relativize(file).toString().replace('\\', '/');
                if (files.containsKey(BUILT_IN_ROOT + name)) {
                    throw new ConfigException(List.of(new io.headroom.config.ConfigProblem(
                            file.toString(),
                            0,
                            "",
                            "a built-in profile has this name; give the site's profile its own id")));
                }
                files.put(siteFolder.resolve(name).toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return load(files);
    }

    /**
     * Loads profiles from their texts.
     *
     * @param files file name (ending in {@code <vendor>/<name>.yaml}, which must match the id) → YAML
     * @throws ConfigException listing every problem of every file
     */
    public static ProfileCatalog load(Map<String, String> files) throws ConfigException {
        Problems problems = new Problems();
        Map<String, ConfigNode.Mapping> trees = new LinkedHashMap<>();
        Map<String, String> fileOf = new LinkedHashMap<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            ConfigNode root;
            try {
                root = ConfigDocuments.parse(file.getKey(), file.getValue());
            } catch (ConfigException e) {
                e.problems().forEach(problems::add);
                continue;
            }
            if (!(root instanceof ConfigNode.Mapping mapping)) {
                problems.add(root.origin(), "a profile must be a mapping, found " + root.shape());
                continue;
            }
            Optional<String> id = scalar(mapping, "id");
            if (id.isEmpty()) {
                problems.add(root.origin().key("id", root.origin().line()), "required");
                continue;
            }
            String expected = expectedId(file.getKey());
            if (expected != null && !expected.equals(id.get())) {
                problems.add(
                        Objects.requireNonNull(mapping.entries().get("id"))
                                .value()
                                .origin(),
                        "'" + id.get() + "' must match the file's path: " + expected);
                continue;
            }
            if (trees.put(id.get(), mapping) != null) {
                problems.add(
                        Objects.requireNonNull(mapping.entries().get("id"))
                                .value()
                                .origin(),
                        "'" + id.get() + "' is also the id of " + fileOf.get(id.get()));
                continue;
            }
            fileOf.put(id.get(), file.getKey());
        }

        Map<String, ConfigNode> resolved = new LinkedHashMap<>();
        for (String id : trees.keySet()) {
            resolve(id, trees, resolved, new LinkedHashSet<>(), problems);
        }

        ConfigBinder binder = new ConfigBinder(Path.of("").toAbsolutePath());
        Map<String, FirmwareProfile> byId = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> entry : resolved.entrySet()) {
            ConfigNode.Mapping own = Objects.requireNonNull(trees.get(entry.getKey()));
            if (scalar(own, "abstract").map("true"::equals).orElse(false)) {
                continue;
            }
            FirmwareProfile profile = binder.bind(entry.getValue(), FirmwareProfile.class, problems);
            if (profile != null) {
                byId.put(profile.id(), profile);
            }
        }
        problems.throwIfAny();
        return new ProfileCatalog(byId);
    }

    /** Resolves {@code extends:} chains depth first; returns null when the chain is broken. */
    private static @Nullable ConfigNode resolve(
            String id,
            Map<String, ConfigNode.Mapping> trees,
            Map<String, ConfigNode> resolved,
            Set<String> chain,
            Problems problems) {
        if (resolved.containsKey(id)) {
            return resolved.get(id);
        }
        ConfigNode.Mapping own = Objects.requireNonNull(trees.get(id));
        ConfigNode.Entry parentKey = own.entries().get("extends");
        if (parentKey == null) {
            resolved.put(id, own);
            return own;
        }
        Optional<String> parentId = scalar(own, "extends");
        if (parentId.isEmpty()) {
            problems.add(parentKey.value().origin(), "must name a profile id");
            return null;
        }
        if (!chain.add(id) || chain.size() > MAX_DEPTH) {
            problems.add(
                    parentKey.value().origin(),
                    "extends forms a cycle or is deeper than " + MAX_DEPTH + ": " + String.join(" → ", chain) + " → "
                            + parentId.get());
            return null;
        }
        if (!trees.containsKey(parentId.get())) {
            problems.add(
                    parentKey.value().origin(),
                    "no profile '" + parentId.get() + "' to extend; known: " + String.join(", ", trees.keySet()));
            return null;
        }
        ConfigNode parent = resolve(parentId.get(), trees, resolved, chain, problems);
        if (parent == null) {
            return null;
        }
        ConfigNode merged = ConfigDocuments.overlay(withoutOwnKeys((ConfigNode.Mapping) parent), own);
        resolved.put(id, merged);
        return merged;
    }

    /** A parent's keys that describe the parent file itself and are never inherited. */
    private static ConfigNode.Mapping withoutOwnKeys(ConfigNode.Mapping parent) {
        Map<String, ConfigNode.Entry> entries = new LinkedHashMap<>(parent.entries());
        entries.remove("abstract");
        entries.remove("extends");
        return new ConfigNode.Mapping(entries, parent.origin());
    }

    private static Optional<String> scalar(ConfigNode.Mapping mapping, String key) {
        ConfigNode.Entry entry = mapping.entries().get(key);
        if (entry != null && entry.value() instanceof ConfigNode.Scalar scalar && scalar.text() != null) {
            return Optional.of(scalar.text());
        }
        return Optional.empty();
    }

    /** {@code …/luxor/luxos.yaml} → {@code luxor/luxos}; null when the name has no such tail. */
    static @Nullable String expectedId(String fileName) {
        String name = fileName.replace('\\', '/');
        if (!name.endsWith(".yaml")) {
            return null;
        }
        String[] parts = name.substring(0, name.length() - ".yaml".length()).split("/");
        return parts.length < 2 ? null : parts[parts.length - 2] + "/" + parts[parts.length - 1];
    }

    private static Map<String, String> builtInFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : index()) {
            String resource = BUILT_IN_ROOT + name;
            try (InputStream in = ProfileCatalog.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(BUILT_IN_ROOT + "index.txt lists " + name + ", which is missing");
                }
                files.put(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read built-in profile " + resource, e);
            }
        }
        return files;
    }

    private static List<String> index() {
        try (InputStream in = ProfileCatalog.class.getClassLoader().getResourceAsStream(BUILT_IN_ROOT + "index.txt")) {
            if (in == null) {
                throw new IllegalStateException("no " + BUILT_IN_ROOT + "index.txt on the classpath");
            }
            List<String> names = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUILT_IN_ROOT + "index.txt", e);
        }
    }

    /** The profile with this id, if it exists and is not abstract. */
    public Optional<FirmwareProfile> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every usable profile, in index order. */
    public Collection<FirmwareProfile> all() {
        return byId.values();
    }

    /** The ids of every usable profile. */
    public Set<String> ids() {
        return byId.keySet();
    }
}
