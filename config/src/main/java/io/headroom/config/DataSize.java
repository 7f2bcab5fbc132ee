package io.headroom.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A number of bytes, written with a unit: {@code 512B}, {@code 64KiB}, {@code 16MiB}, {@code 2GiB}
 * (powers of 1024) or {@code 10kB}, {@code 10MB}, {@code 1GB} (powers of 1000). A bare number is
 * refused, since "64" might mean bytes or megabytes.
 */
public record DataSize(long bytes) implements Comparable<DataSize> {

    /** The pattern the JSON Schema gives editors; {@link #parse} says more about what is wrong. */
    public static final String PATTERN = "^[0-9]+(B|KiB|MiB|GiB|TiB|kB|MB|GB|TB)$";

    private static final String UNITS = "B, KiB, MiB, GiB, TiB (powers of 1024) or kB, MB, GB, TB (powers of 1000)";
    private static final Pattern SHAPE = Pattern.compile("(-?)([0-9]+)\\s*([A-Za-z]*)");
    private static final Map<String, Long> FACTORS = new LinkedHashMap<>();
    private static final Map<String, Long> LARGEST_FIRST = new LinkedHashMap<>();

    static {
        FACTORS.put("B", 1L);
        FACTORS.put("KiB", 1L << 10);
        FACTORS.put("MiB", 1L << 20);
        FACTORS.put("GiB", 1L << 30);
        FACTORS.put("TiB", 1L << 40);
        FACTORS.put("kB", 1_000L);
        FACTORS.put("MB", 1_000_000L);
        FACTORS.put("GB", 1_000_000_000L);
        FACTORS.put("TB", 1_000_000_000_000L);
        for (String unit : new String[] {"TiB", "GiB", "MiB", "KiB", "TB", "GB", "MB", "kB"}) {
            LARGEST_FIRST.put(unit, FACTORS.get(unit));
        }
    }

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    /**
     * Parses {@code 16MiB} and friends.
     *
     * @throws IllegalArgumentException naming the units accepted
     */
    public static DataSize parse(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a size is needed; write a unit: " + UNITS);
        }
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a size; write a whole number and a unit: " + UNITS);
        }
        String unit = m.group(3);
        if (unit.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no unit; write a unit: " + UNITS);
        }
        Long factor = FACTORS.get(unit);
        if (factor == null) {
            throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + unit + "'; use " + UNITS);
        }
        if (!m.group(1).isEmpty()) {
            throw new IllegalArgumentException("a size cannot be negative: '" + text + "'");
        }
        if (text.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("'" + text + "' has a space; write it without: " + m.group(2) + unit);
        }
        try {
            return new DataSize(Math.multiplyExact(Long.parseLong(m.group(2)), factor));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is too large; a size is at most " + Long.MAX_VALUE + " bytes");
        }
    }

    /** The size in the largest unit that holds it exactly, binary units first: {@code 16MiB}, {@code 10MB}. */
    static String format(long bytes) {
        if (bytes == 0) {
            return "0B";
        }
        for (Map.Entry<String, Long> unit : LARGEST_FIRST.entrySet()) {
            if (bytes % unit.getValue() == 0) {
                return bytes / unit.getValue() + unit.getKey();
            }
        }
        return bytes + "B";
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, other.bytes);
    }
}
