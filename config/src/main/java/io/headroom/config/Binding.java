package io.headroom.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One walk of a node tree against a Java type. A value that cannot be bound is reported to
 * {@link Problems} and comes back as null, which no bound value ever is (absent means
 * {@code Optional.empty()} or an empty collection), so callers go on with the siblings.
 */
final class Binding {

    static final String INLINE_SECRET =
            "secrets are never written inline; write {file: /path/to/secret} or" + " {credential: name}";
    private static final Pattern CREDENTIAL = Pattern.compile("[A-Za-z0-9_.-]{1,255}");
    private static final List<String> SECRET_KEYS = List.of("file", "credential");

    private final Path baseDir;
    private final Problems problems;

    Binding(Path baseDir, Problems problems) {
        this.baseDir = baseDir;
        this.problems = problems;
    }

    /** Binds a node in a value position: a list item, a map value, or a component that is present. */
    @Nullable
    Object value(ConfigNode node, Type type) {
        if (type == ConfigNode.class) {
            return node;
        }
        if (Types.isOptional(type)) {
            return isNull(node) ? Optional.empty() : wrap(value(node, Types.arg(type, 0)));
        }
        if (isNull(node)) {
            problems.add(node.origin(), "expected " + noun(type) + ", found nothing");
            return null;
        }
        if (Types.isList(type)) {
            return list(node, Types.arg(type, 0));
        }
        if (Types.isMap(type)) {
            return map(node, Types.arg(type, 1));
        }
        Class<?> c = Types.raw(type);
        if (Types.isRecord(c)) {
            if (!(node instanceof ConfigNode.Mapping)) {
                return mismatch(node, type);
            }
            return record((ConfigNode.Mapping) node, RecordModel.of(c));
        }
        if (c == SecretRef.class) {
            return secret(node);
        }
        if (!(node instanceof ConfigNode.Scalar)) {
            return mismatch(node, type);
        }
        return ScalarValues.parse((ConfigNode.Scalar) node, c, baseDir, problems);
    }

    private @Nullable Object record(ConfigNode.Mapping mapping, RecordModel model) {
        List<RecordModel.Component> components = model.components();
        @Nullable Object[] args = new Object[components.size()];
        boolean complete = true;
        for (int i = 0; i < args.length; i++) {
            RecordModel.Component c = components.get(i);
            if (c.otherKeys()) {
                args[i] = otherKeys(mapping, model);
                continue;
            }
            ConfigNode.Entry entry = mapping.entries().get(c.key());
            args[i] = entry == null || isNull(entry.value()) ? absent(mapping, c, entry) : present(entry.value(), c);
            complete &= args[i] != null;
        }
        if (model.otherKeys() == null) {
            for (ConfigNode.Entry entry : mapping.entries().values()) {
                if (model.byKey(entry.key()) == null) {
                    String replacement = model.replacement(entry.key());
                    problems.add(
                            entry.keyOrigin(),
                            replacement != null ? "replaced by " + replacement : unknownKey(entry.key(), model.keys()));
                }
            }
        }
        return complete ? construct(mapping, model, args) : null;
    }

    private @Nullable Object absent(
            ConfigNode.Mapping mapping, RecordModel.Component c, ConfigNode.@Nullable Entry entry) {
        if (c.defaultText() != null) {
            return defaultValue(
                    c, mapping.origin().key(c.key(), mapping.origin().line()));
        }
        if (Types.isOptional(c.type())) {
            return Optional.empty();
        }
        if (Types.isList(c.type())) {
            return List.of();
        }
        if (Types.isMap(c.type())) {
            return Map.of();
        }
        if (c.isOptionalSection()) {
            ConfigNode.Origin at = entry == null
                    ? mapping.origin().key(c.key(), mapping.origin().line())
                    : entry.value().origin();
            return value(new ConfigNode.Mapping(Map.of(), at), c.type());
        }
        problems.add(
                entry == null
                        ? mapping.origin().key(c.key(), mapping.origin().line())
                        : entry.value().origin(),
                "required");
        return null;
    }

    /** Binds a component's value and checks its {@link Range}. */
    private @Nullable Object present(ConfigNode node, RecordModel.Component c) {
        Object value = value(node, c.type());
        Bounds bounds = c.bounds();
        if (value == null || bounds == null) {
            return value;
        }
        Object plain = value instanceof Optional ? ((Optional<?>) value).orElse(null) : value;
        // a ranged value binds from one scalar, and a bound one is never YAML null
        String problem =
                plain == null ? null : bounds.check(plain, Objects.requireNonNull(((ConfigNode.Scalar) node).text()));
        if (problem != null) {
            problems.add(node.origin(), problem);
            return null;
        }
        return value;
    }

    /**
     * The value of a component's {@link Default}, bound as if written at {@code origin}.
     *
     * @throws IllegalStateException when the default does not bind: a mistake in the record, not the file
     */
    Object defaultValue(RecordModel.Component c, ConfigNode.Origin origin) {
        String text = c.defaultText();
        if (text == null) {
            throw new IllegalStateException(c.where() + " has no @Default");
        }
        Problems own = new Problems();
        Object value = new Binding(baseDir, own).present(defaultNode(c, text, origin), c);
        if (value == null || !own.isEmpty()) {
            String why = own.isEmpty() ? "no value" : own.list().get(0).message();
            throw new IllegalStateException(c.where() + ": @Default(\"" + text + "\") does not bind as "
                    + c.type().getTypeName() + ": " + why);
        }
        return value;
    }

    /** A default is one plain scalar, or YAML flow text when it starts with [ or {. */
    private static ConfigNode defaultNode(RecordModel.Component c, String text, ConfigNode.Origin origin) {
        if (!text.startsWith("[") && !text.startsWith("{")) {
            return new ConfigNode.Scalar(text, false, origin);
        }
        try {
            return Nodes.reroot(ConfigDocuments.parse(origin.file(), text), origin);
        } catch (ConfigException e) {
            throw new IllegalStateException(
                    c.where() + ": @Default(\"" + text + "\") is not YAML: " + e.getMessage(), e);
        }
    }

    private @Nullable Object construct(ConfigNode.Mapping mapping, RecordModel model, Object[] args) {
        try {
            return model.constructor().newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
                refused(mapping, model, cause);
                return null;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(model.name() + "'s constructor threw " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + model.type().getName() + ": " + e, e);
        }
    }

    /** Places a constructor's refusal at the key its message names ({@code "timeout: ..."}), else at the mapping. */
    private void refused(ConfigNode.Mapping mapping, RecordModel model, Throwable cause) {
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            problems.add(
                    mapping.origin(),
                    "is not valid (" + cause.getClass().getSimpleName() + " in " + model.name() + ")");
            return;
        }
        int colon = message.indexOf(": ");
        if (colon > 0) {
            RecordModel.Component c = component(model, message.substring(0, colon));
            if (c != null) {
                ConfigNode.Entry entry = mapping.entries().get(c.key());
                ConfigNode.Origin origin = entry != null
                        ? entry.keyOrigin()
                        : mapping.origin().key(c.key(), mapping.origin().line());
                problems.add(origin, message.substring(colon + 2));
                return;
            }
        }
        problems.add(mapping.origin(), message);
    }

    /** The component a message names, by YAML key or by Java name. */
    private static RecordModel.@Nullable Component component(RecordModel model, String name) {
        RecordModel.Component byKey = model.byKey(name);
        if (byKey != null) {
            return byKey;
        }
        for (RecordModel.Component c : model.components()) {
            if (!c.otherKeys() && c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static Map<String, ConfigNode> otherKeys(ConfigNode.Mapping mapping, RecordModel model) {
        Map<String, ConfigNode> others = new LinkedHashMap<>();
        for (ConfigNode.Entry entry : mapping.entries().values()) {
            if (model.byKey(entry.key()) == null) {
                others.put(entry.key(), entry.value());
            }
        }
        return Collections.unmodifiableMap(others);
    }

    static String unknownKey(String key, List<String> known) {
        Optional<String> suggestion = DidYouMean.suggest(key, known);
        if (suggestion.isPresent()) {
            return "unknown key; did you mean " + suggestion.get() + "?";
        }
        return known.isEmpty()
                ? "unknown key; this mapping takes no keys"
                : "unknown key; expected one of " + String.join(", ", known);
    }

    private @Nullable Object list(ConfigNode node, Type itemType) {
        if (!(node instanceof ConfigNode.Sequence)) {
            return mismatch(node, List.class);
        }
        List<Object> items = new ArrayList<>();
        boolean complete = true;
        for (ConfigNode item : ((ConfigNode.Sequence) node).items()) {
            Object value = value(item, itemType);
            complete &= value != null;
            items.add(value);
        }
        return complete ? Collections.unmodifiableList(items) : null;
    }

    private @Nullable Object map(ConfigNode node, Type valueType) {
        if (!(node instanceof ConfigNode.Mapping)) {
            return mismatch(node, Map.class);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        boolean complete = true;
        for (ConfigNode.Entry entry : ((ConfigNode.Mapping) node).entries().values()) {
            Object value = value(entry.value(), valueType);
            complete &= value != null;
            values.put(entry.key(), value);
        }
        return complete ? Collections.unmodifiableMap(values) : null;
    }

    private @Nullable Object secret(ConfigNode node) {
        if (node instanceof ConfigNode.Scalar) {
            problems.add(node.origin(), INLINE_SECRET);
            return null;
        }
        if (!(node instanceof ConfigNode.Mapping)) {
            return mismatch(node, SecretRef.class);
        }
        ConfigNode.Mapping mapping = (ConfigNode.Mapping) node;
        for (ConfigNode.Entry entry : mapping.entries().values()) {
            if (!SECRET_KEYS.contains(entry.key())) {
                problems.add(entry.keyOrigin(), unknownKey(entry.key(), SECRET_KEYS));
            }
        }
        ConfigNode.Entry file = mapping.entries().get("file");
        ConfigNode.Entry credential = mapping.entries().get("credential");
        if (file != null && credential != null) {
            problems.add(mapping.origin(), "write one of file: or credential:, not both");
            return null;
        }
        if (file != null) {
            Object path = value(file.value(), Path.class);
            return path == null ? null : new SecretRef.File((Path) path);
        }
        if (credential == null) {
            problems.add(mapping.origin(), "write one of file: or credential:");
            return null;
        }
        Object name = value(credential.value(), String.class);
        if (name == null) {
            return null;
        }
        if (!CREDENTIAL.matcher((String) name).matches() || name.equals(".") || name.equals("..")) {
            problems.add(
                    credential.value().origin(),
                    "'" + name + "' is not a credential name; use 1 to 255" + " letters, digits, '_', '.' or '-'");
            return null;
        }
        return new SecretRef.Credential((String) name);
    }

    private @Nullable Object mismatch(ConfigNode node, Type expected) {
        problems.add(node.origin(), "expected " + noun(expected) + ", found " + node.shape());
        return null;
    }

    /** "a mapping", "a list", "an integer": what a type looks like in YAML. */
    static String noun(Type type) {
        if (Types.isOptional(type)) {
            return noun(Types.arg(type, 0));
        }
        Class<?> c = Types.box(Types.raw(type));
        if (c == List.class) {
            return "a list";
        }
        if (c == Map.class || c == SecretRef.class || Types.isRecord(c)) {
            return "a mapping";
        }
        if (c == Integer.class || c == Long.class) {
            return "a whole number";
        }
        if (c == Double.class) {
            return "a number";
        }
        if (c == Boolean.class) {
            return "true or false";
        }
        if (c == Duration.class) {
            return "a duration";
        }
        if (c == DataSize.class) {
            return "a size";
        }
        if (c == URI.class) {
            return "a URI";
        }
        if (c == Path.class) {
            return "a path";
        }
        return "a value";
    }

    private static @Nullable Object wrap(@Nullable Object value) {
        return value == null ? null : Optional.of(value);
    }

    static boolean isNull(ConfigNode node) {
        return node instanceof ConfigNode.Scalar && ((ConfigNode.Scalar) node).text() == null;
    }
}
