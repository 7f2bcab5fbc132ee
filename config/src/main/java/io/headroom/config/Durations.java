package io.headroom.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Durations as config files write them: a whole number and a unit, {@code 500ms}, {@code 10s},
 * {@code 2m}, {@code 1h}, {@code 1d}. A bare number is refused, since "30" might be seconds or
 * milliseconds; so are fractions ({@code 1.5s}: write {@code 1500ms}) and negative durations.
 */
public final class Durations {

    /** The pattern the JSON Schema gives editors; {@link #parse} says more about what is wrong. */
    public static final String PATTERN = "^[0-9]+(ms|s|m|h|d)$";

    static final String UNIT_HINT = "write a unit: 500ms, 10s, 2m, 1h, 1d";

    private static final Pattern SHAPE = Pattern.compile("(-?)([0-9]+)(ms|s|m|h|d)");
    private static final Pattern BARE_NUMBER = Pattern.compile("[-+]?[0-9]+(\\.[0-9]*)?");
    private static final Pattern FRACTION = Pattern.compile("-?[0-9]*\\.[0-9]+(ms|s|m|h|d)");
    private static final Pattern SPACED = Pattern.compile("-?[0-9]+\\s+(ms|s|m|h|d)");
    private static final Pattern OTHER_UNIT = Pattern.compile("-?[0-9]+\\s*[A-Za-z]+");

    private Durations() {}

    /**
     * Parses {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or {@code 1d}.
     *
     * @throws IllegalArgumentException saying what is wrong and how to write it
     */
    public static Duration parse(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a duration is needed; " + UNIT_HINT);
        }
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            if (BARE_NUMBER.matcher(text).matches()) {
                throw new IllegalArgumentException("'" + text + "' has no unit; " + UNIT_HINT);
            }
            if (FRACTION.matcher(text).matches()) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not a whole number of its unit; write e.g. " + "1500ms for 1.5s");
            }
            if (SPACED.matcher(text).matches()) {
                throw new IllegalArgumentException(
                        "'" + text + "' has a space; write it without: " + text.replaceAll("\\s+", ""));
            }
            if (OTHER_UNIT.matcher(text).matches()) {
                throw new IllegalArgumentException("'" + text + "' has an unknown unit; " + UNIT_HINT);
            }
            throw new IllegalArgumentException("'" + text + "' is not a duration; " + UNIT_HINT);
        }
        if (!m.group(1).isEmpty()) {
            throw new IllegalArgumentException("a duration cannot be negative: '" + text + "'");
        }
        try {
            long amount = Long.parseLong(m.group(2));
            return Duration.of(amount, unit(m.group(3)));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
    }

    /**
     * Writes a duration back in the same style, in the largest unit that holds it exactly:
     * {@code 1h}, {@code 90s}, {@code 1500ms}. Durations with sub-millisecond parts, which no config
     * file can write, fall back to {@link Duration#toString()}.
     */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        if (duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        long millis = duration.toMillis();
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = duration.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private static ChronoUnit unit(String unit) {
        switch (unit) {
            case "ms":
                return ChronoUnit.MILLIS;
            case "s":
                return ChronoUnit.SECONDS;
            case "m":
                return ChronoUnit.MINUTES;
            case "h":
                return ChronoUnit.HOURS;
            default:
                return ChronoUnit.DAYS;
        }
    }
}
