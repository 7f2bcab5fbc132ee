package io.headroom.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The YAML spelling of each constant of an enum: {@link ConfigValue}, else lower kebab case. */
final class EnumSpellings {

    private static final Map<Class<?>, Map<String, Object>> CACHE = new ConcurrentHashMap<>();

    private EnumSpellings() {}

    /** Spelling → constant, in declaration order. */
    static Map<String, Object> of(Class<?> type) {
        return CACHE.computeIfAbsent(type, EnumSpellings::build);
    }

    private static Map<String, Object> build(Class<?> type) {
        Map<String, Object> spellings = new LinkedHashMap<>();
        for (Object constant : type.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            ConfigValue value;
            try {
                value = type.getField(name).getAnnotation(ConfigValue.class);
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(type.getName() + "." + name + " has no field", e);
            }
            String spelling = value != null ? value.value() : KeyNames.enumConstant(name);
            Object previous = spellings.put(spelling, constant);
            if (previous != null) {
                throw new IllegalStateException(
                        type.getName() + ": " + previous + " and " + name + " are both spelt '" + spelling + "'");
            }
        }
        return Collections.unmodifiableMap(spellings);
    }
}
