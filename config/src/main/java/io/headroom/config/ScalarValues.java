package io.headroom.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns one scalar into a value of a scalar type, by the same rules for every file. The text is read
 * as written, not as YAML 1.1 resolved it: {@code yes} is not a boolean and {@code 0x1F} not a number.
 */
final class ScalarValues {

    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    private static final Pattern NOT_FINITE = Pattern.compile("[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
    private static final Set<String> YAML11_BOOLEANS = Set.of("yes", "no", "on", "off", "y", "n");

    private ScalarValues() {}

    /**
     * The value, or null after adding the problem at the scalar's origin.
     *
     * @param type a scalar type (see {@link Types#isScalar}), primitive or boxed
     */
    static @Nullable Object parse(ConfigNode.Scalar scalar, Class<?> type, Path baseDir, Problems problems) {
        String text = scalar.text();
        if (text == null) {
            // the binder reports YAML null before it gets here; said the same way should a caller not
            problems.add(scalar.origin(), "expected " + Binding.noun(type) + ", found nothing");
            return null;
        }
        boolean quoted = scalar.quoted();
        Class<?> boxed = Types.box(type);
        String problem;
        try {
            if (boxed == String.class) {
                return text;
            }
            if (boxed == Boolean.class) {
                return bool(text, quoted);
            }
            if (boxed == Integer.class) {
                return (int) integer(text, quoted, Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
            if (boxed == Long.class) {
                return integer(text, quoted, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            if (boxed == Double.class) {
                return decimal(text, quoted);
            }
            if (type.isEnum()) {
                return constant(text, type);
            }
            if (type == Duration.class) {
                return Durations.parse(text);
            }
            if (type == DataSize.class) {
                return DataSize.parse(text);
            }
            if (type == URI.class) {
                return uri(text);
            }
            if (type == Path.class) {
                return path(text, baseDir);
            }
            throw new IllegalStateException("not a scalar type: " + type.getName());
        } catch (IllegalArgumentException e) {
            // every IllegalArgumentException thrown here has a message; a null one is not left in a problem
            problem = e.getMessage() != null
                    ? e.getMessage()
                    : "is not valid (" + e.getClass().getSimpleName() + ")";
        }
        problems.add(scalar.origin(), problem);
        return null;
    }

    private static Boolean bool(String text, boolean quoted) {
        if (quoted) {
            throw new IllegalArgumentException("expected true or false, found the string '" + text + "'");
        }
        if (text.equals("true")) {
            return Boolean.TRUE;
        }
        if (text.equals("false")) {
            return Boolean.FALSE;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (YAML11_BOOLEANS.contains(lower) || lower.equals("true") || lower.equals("false")) {
            throw new IllegalArgumentException("expected true or false, found '" + text
                    + "'; write true or false (in lower case): yes/no/on/off are not booleans here");
        }
        throw new IllegalArgumentException("expected true or false, found '" + text + "'");
    }

    private static long integer(String written, boolean quoted, long min, long max) {
        String text = number(written, quoted);
        if (!INTEGER.matcher(text).matches()) {
            if (DECIMAL.matcher(text).matches() || NOT_FINITE.matcher(text).matches()) {
                throw new IllegalArgumentException("expected a whole number, found " + text);
            }
            throw new IllegalArgumentException("expected a number, found '" + text + "'");
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(text + " is outside " + min + ".." + max);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(text + " is outside " + min + ".." + max);
        }
        return value;
    }

    private static double decimal(String written, boolean quoted) {
        String text = number(written, quoted);
        if (NOT_FINITE.matcher(text).matches()) {
            throw new IllegalArgumentException("expected a finite number, found " + text);
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("expected a number, found '" + text + "'");
        }
        double value = Double.parseDouble(text);
        if (Double.isInfinite(value)) {
            throw new IllegalArgumentException("expected a finite number, found " + text);
        }
        return value;
    }

    /** The text of a number, refusing a quoted one: a number in quotes was meant as text, or by mistake. */
    private static String number(String text, boolean quoted) {
        if (quoted) {
            throw new IllegalArgumentException("expected a number, found the string '" + text + "'");
        }
        return text;
    }

    private static Object constant(String text, Class<?> type) {
        Map<String, Object> spellings = EnumSpellings.of(type);
        Object constant = spellings.get(text);
        if (constant == null) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", spellings.keySet()));
        }
        return constant;
    }

    private static URI uri(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URI: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        if (!uri.isAbsolute()) {
            throw new IllegalArgumentException("'" + text + "' is not an absolute URI; write it with its scheme,"
                    + " e.g. tcp://broker.example:1883");
        }
        return uri;
    }

    private static Path path(String text, Path baseDir) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a path cannot be empty");
        }
        try {
            return baseDir.resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid path: " + e.getReason());
        }
    }
}
