package io.headroom.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** The Java types the binder knows, and the generic plumbing to look inside them. */
final class Types {

    /** Types bound from one scalar. */
    private static final Set<Class<?>> SCALARS = Set.of(
            String.class,
            int.class,
            Integer.class,
            long.class,
            Long.class,
            double.class,
            Double.class,
            boolean.class,
            Boolean.class,
            Duration.class,
            DataSize.class,
            URI.class,
            Path.class);

    private Types() {}

    static Class<?> raw(Type type) {
        if (type instanceof Class) {
            return (Class<?>) type;
        }
        if (type instanceof ParameterizedType) {
            return (Class<?>) ((ParameterizedType) type).getRawType();
        }
        throw new IllegalStateException("the config binder does not bind " + type.getTypeName());
    }

    /** The i-th type argument of a parameterized type. */
    static Type arg(Type type, int i) {
        if (!(type instanceof ParameterizedType)) {
            throw new IllegalStateException(type.getTypeName() + " needs its type arguments, e.g. List<String>");
        }
        return ((ParameterizedType) type).getActualTypeArguments()[i];
    }

    static boolean isOptional(Type type) {
        return raw(type) == Optional.class;
    }

    static boolean isList(Type type) {
        return raw(type) == List.class;
    }

    static boolean isMap(Type type) {
        return raw(type) == Map.class;
    }

    /** Optional, List and Map may be left out; everything else without a default is required. */
    static boolean mayBeAbsent(Type type) {
        return isOptional(type) || isList(type) || isMap(type);
    }

    static boolean isScalar(Class<?> type) {
        return SCALARS.contains(type) || type.isEnum();
    }

    /** A record bound from a mapping: any record but {@link DataSize}, which is written as one scalar. */
    static boolean isRecord(Type type) {
        return type instanceof Class && ((Class<?>) type).isRecord() && type != DataSize.class;
    }

    static Class<?> box(Class<?> type) {
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        return type;
    }

    /** Throws unless the binder can bind the type; nested records are handed to {@code records}. */
    static void check(Type type, String where, Consumer<Class<?>> records) {
        if (type instanceof Class) {
            Class<?> c = (Class<?>) type;
            if (isScalar(c) || c == SecretRef.class || c == ConfigNode.class) {
                return;
            }
            if (isRecord(c)) {
                records.accept(c);
                return;
            }
        } else if (type instanceof ParameterizedType) {
            Class<?> raw = raw(type);
            if (raw == Optional.class || raw == List.class) {
                check(arg(type, 0), where, records);
                return;
            }
            if (raw == Map.class) {
                if (arg(type, 0) != String.class) {
                    throw new IllegalStateException(where + ": a Map's keys must be String, not "
                            + arg(type, 0).getTypeName());
                }
                check(arg(type, 1), where, records);
                return;
            }
        }
        throw new IllegalStateException(where + ": the config binder does not bind " + type.getTypeName()
                + "; use String, int, long, double, boolean, an enum, Duration, DataSize, URI, Path, SecretRef,"
                + " ConfigNode, a record, or Optional, List or Map<String, ...> of those");
    }
}
