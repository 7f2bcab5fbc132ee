package io.headroom.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What the binder knows about one record class: its keys, types, defaults and bounds, worked out once
 * and cached. Building a model checks the record and every record it reaches, so a mistake in a
 * record (an unsupported type, a default that does not parse, two components with one key) is an
 * {@link IllegalStateException} on first use, naming the record and the component, whatever the file.
 */
final class RecordModel {

    private static final Map<Class<?>, RecordModel> MODELS = new HashMap<>();
    private static final Set<Class<?>> RANGED =
            Set.of(Integer.class, Long.class, Double.class, Duration.class, DataSize.class);

    private final Class<?> type;
    private final List<Component> components;
    private final Map<String, Component> byKey;
    private final @Nullable Component otherKeys;
    private final Constructor<?> constructor;

    /** One record component as the binder sees it. */
    record Component(
            Class<?> owner,
            String name,
            String key,
            Type type,
            @Nullable String defaultText,
            @Nullable Bounds bounds,
            @Nullable String doc,
            boolean otherKeys) {

        /**
         * Not Optional, List or Map, no default, not {@link OtherKeys}, and not a record whose every key
         * may be left out (such a section may be left out whole: it binds as an empty mapping).
         */
        boolean required() {
            return !otherKeys && defaultText == null && !Types.mayBeAbsent(type) && !isOptionalSection();
        }

        /** A nested record whose every component may be left out. */
        boolean isOptionalSection() {
            return Types.isRecord(type)
                    && RecordModel.of((Class<?>) type).components().stream().noneMatch(Component::required);
        }

        /** The type a {@link Range} or a default applies to: the component's own, inside an Optional. */
        Type valueType() {
            return Types.isOptional(type) ? Types.arg(type, 0) : type;
        }

        String where() {
            return owner.getSimpleName() + "." + name;
        }
    }

    private RecordModel(
            Class<?> type, List<Component> components, @Nullable Component otherKeys, Constructor<?> constructor) {
        this.type = type;
        this.components = List.copyOf(components);
        Map<String, Component> keys = new LinkedHashMap<>();
        for (Component c : components) {
            if (!c.otherKeys()) {
                keys.put(c.key(), c);
            }
        }
        this.byKey = keys;
        this.otherKeys = otherKeys;
        this.constructor = constructor;
    }

    /**
     * The model of a record, checked with every record it reaches.
     *
     * @throws IllegalStateException naming the record and component that the binder cannot bind
     */
    static synchronized RecordModel of(Class<?> type) {
        RecordModel model = MODELS.get(type);
        if (model != null) {
            return model;
        }
        List<RecordModel> built = new ArrayList<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(type);
        try {
            while (!todo.isEmpty()) {
                Class<?> next = todo.poll();
                if (!MODELS.containsKey(next)) {
                    RecordModel nextModel = build(next, todo::add);
                    MODELS.put(next, nextModel);
                    built.add(nextModel);
                }
            }
            for (RecordModel m : built) {
                m.checkDefaults();
            }
        } catch (RuntimeException | Error e) {
            built.forEach(m -> MODELS.remove(m.type()));
            throw e;
        }
        // type was not in MODELS, so it was the first one built
        return built.get(0);
    }

    Class<?> type() {
        return type;
    }

    String name() {
        return type.getSimpleName();
    }

    List<Component> components() {
        return components;
    }

    /** The component bound from a YAML key; null for none. */
    @Nullable
    Component byKey(String key) {
        return byKey.get(key);
    }

    /** What replaced a key the record took in an earlier release ({@link Replaced}); null for none. */
    @Nullable
    String replacement(String key) {
        for (Replaced replaced : type.getAnnotationsByType(Replaced.class)) {
            if (replaced.key().equals(key)) {
                return replaced.by();
            }
        }
        return null;
    }

    /** The YAML keys, in declaration order, without the {@link OtherKeys} component. */
    List<String> keys() {
        return List.copyOf(byKey.keySet());
    }

    /** The {@link OtherKeys} component, or null. */
    @Nullable
    Component otherKeys() {
        return otherKeys;
    }

    Constructor<?> constructor() {
        return constructor;
    }

    private static RecordModel build(Class<?> type, Consumer<Class<?>> records) {
        if (!Types.isRecord(type)) {
            throw new IllegalStateException(type.getName() + " is not a record bound from a mapping");
        }
        RecordComponent[] parts = type.getRecordComponents();
        List<Component> components = new ArrayList<>();
        Map<String, String> keys = new HashMap<>();
        Component otherKeys = null;
        Class<?>[] parameterTypes = new Class<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            RecordComponent part = parts[i];
            parameterTypes[i] = part.getType();
            Component c = component(type, part);
            Types.check(c.type(), c.where(), records);
            if (c.otherKeys()) {
                if (otherKeys != null) {
                    throw new IllegalStateException(
                            c.where() + ": only one component may be @OtherKeys, " + otherKeys.where() + " already is");
                }
                if (!isNodeMap(c.type())) {
                    throw new IllegalStateException(c.where() + ": @OtherKeys needs Map<String, ConfigNode>, not "
                            + c.type().getTypeName());
                }
                otherKeys = c;
            } else {
                String previous = keys.put(c.key(), c.name());
                if (previous != null) {
                    throw new IllegalStateException(c.where() + ": key '" + c.key() + "' is also the key of "
                            + type.getSimpleName() + "." + previous);
                }
            }
            components.add(c);
        }
        Constructor<?> constructor;
        try {
            constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalStateException("cannot use the canonical constructor of " + type.getName() + ": " + e, e);
        }
        return new RecordModel(type, components, otherKeys, constructor);
    }

    private static Component component(Class<?> owner, RecordComponent part) {
        Key key = part.getAnnotation(Key.class);
        Default def = part.getAnnotation(Default.class);
        Range range = part.getAnnotation(Range.class);
        Doc doc = part.getAnnotation(Doc.class);
        boolean other = part.isAnnotationPresent(OtherKeys.class);
        String name = part.getName();
        Component plain = new Component(
                owner,
                name,
                key != null ? key.value() : KeyNames.kebab(name),
                part.getGenericType(),
                def != null ? def.value() : null,
                null,
                doc != null ? doc.value() : null,
                other);
        if (other && def != null) {
            throw new IllegalStateException(plain.where() + ": an @OtherKeys component cannot have a @Default");
        }
        if (range == null) {
            return plain;
        }
        return new Component(
                owner, name, plain.key(), plain.type(), plain.defaultText(), bounds(plain, range), plain.doc(), other);
    }

    private static Bounds bounds(Component c, Range range) {
        Type valueType = c.valueType();
        Class<?> boxed = valueType instanceof Class ? Types.box((Class<?>) valueType) : null;
        if (boxed == null || !RANGED.contains(boxed)) {
            throw new IllegalStateException(c.where() + ": @Range applies to int, long, double, Duration and DataSize,"
                    + " not " + c.type().getTypeName());
        }
        return new Bounds(
                bound(c, boxed, range.min(), "min"), bound(c, boxed, range.max(), "max"), range.min(), range.max());
    }

    private static @Nullable Object bound(Component c, Class<?> type, String text, String which) {
        if (text.isEmpty()) {
            return null;
        }
        Problems problems = new Problems();
        Object value = ScalarValues.parse(
                new ConfigNode.Scalar(text, false, new ConfigNode.Origin("@Range", 0, "")),
                type,
                Path.of(""),
                problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(c.where() + ": @Range(" + which + " = \"" + text + "\") does not parse: "
                    + problems.list().get(0).message());
        }
        return value;
    }

    /** Binds every default once, so a broken one fails here and not in some operator's file. */
    private void checkDefaults() {
        for (Component c : components) {
            if (c.defaultText() != null) {
                new Binding(Path.of(""), new Problems()).defaultValue(c, new ConfigNode.Origin("@Default", 0, c.key()));
            }
        }
    }

    private static boolean isNodeMap(Type type) {
        return type instanceof ParameterizedType && Types.isMap(type) && Types.arg(type, 1) == ConfigNode.class;
    }
}
