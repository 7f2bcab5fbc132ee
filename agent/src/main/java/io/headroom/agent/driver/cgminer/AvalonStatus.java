package io.headroom.agent.driver.cgminer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The bracketed status string of a Canaan Avalon controller ({@code estats} → {@code STATS[0]["MM ID0"]},
 * reference/DEVICES.md §4.7): {@code Key[value] Key[value] …}, for example
 * {@code Temp[31] TMax[78] Fan1[4275] FanR[49%] MGHS[59459.52 61407.83 63139.66] SYSTEMSTATU[Work: In Work, Hash
 * Board: 3 ]}. Newer controllers (Avalon Q) wrap the same list as {@code 'STATS':{…}} under {@code "MM ID0:Summary"}.
 *
 * <p>The parser is strict about structure and lenient about values: a key is any run of text before {@code [}
 * (keys with spaces exist: {@code Nonce Mask[25]}); a value runs to its matching {@code ]}, counting nested
 * brackets; a string that ends inside a key or a value is {@linkplain AvalonStatusException#truncated() truncated}
 * and is refused whole, since its last value may be cut short. Values are kept as text; {@link #number} and
 * {@link #numbers} read them, and {@code inf}/{@code nan} (the Avalon non-finite quirk, DEVICES.md §4.1) read as
 * missing, never as a number.
 */
public final class AvalonStatus {

    /** Longest key accepted; real keys are a few characters. */
    static final int MAX_KEY_LENGTH = 64;

    private static final String STATS_WRAPPER = "'STATS':{";

    private final Map<String, String> values;

    private AvalonStatus(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Parses one status string.
     *
     * @throws AvalonStatusException when the string is cut short or is not a {@code Key[value]} list
     */
    public static AvalonStatus parse(String text) throws AvalonStatusException {
        String body = text.strip();
        if (body.startsWith(STATS_WRAPPER)) {
            if (!body.endsWith("}")) {
                throw new AvalonStatusException(true, "status string ends before the '}' closing 'STATS':{");
            }
            body = body.substring(STATS_WRAPPER.length(), body.length() - 1);
        }
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        int n = body.length();
        while (true) {
            while (i < n && Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int keyStart = i;
            while (i < n && body.charAt(i) != '[') {
                char c = body.charAt(i);
                if (c == ']' || c == '{' || c == '}') {
                    throw new AvalonStatusException(
                            false, "unexpected '" + c + "' at offset " + i + " where a key was expected");
                }
                i++;
            }
            String key = body.substring(keyStart, i).strip();
            if (i >= n) {
                throw new AvalonStatusException(true, "status string ends inside key '" + shorten(key) + "'");
            }
            if (key.isEmpty()) {
                throw new AvalonStatusException(false, "value without a key at offset " + i);
            }
            if (key.length() > MAX_KEY_LENGTH) {
                throw new AvalonStatusException(false, "key longer than " + MAX_KEY_LENGTH + " at offset " + keyStart);
            }
            int depth = 1;
            int valueStart = ++i;
            while (i < n && depth > 0) {
                char c = body.charAt(i);
                if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    depth--;
                }
                i++;
            }
            if (depth > 0) {
                throw new AvalonStatusException(true, "status string ends inside the value of " + key);
            }
            values.putIfAbsent(key, body.substring(valueStart, i - 1));
        }
        return new AvalonStatus(values);
    }

    /** Every key and its raw value, in the order of the string. */
    public Map<String, String> values() {
        return values;
    }

    /** The value of a key, stripped of surrounding blanks. */
    public Optional<String> text(String key) {
        String value = values.get(key);
        return value == null ? Optional.empty() : Optional.of(value.strip());
    }

    /**
     * A single number: {@code 3731}, {@code 199241.07}, {@code 49%} (the percent sign dropped); empty when the
     * key is absent, the value is {@code inf}/{@code nan} or not one number.
     */
    public OptionalDouble number(String key) {
        Optional<String> value = text(key);
        return value.isEmpty() ? OptionalDouble.empty() : parseNumber(value.get());
    }

    /**
     * A space-separated list of numbers ({@code MGHS[59459.52 61407.83 63139.66]}); an element that is not a
     * finite number is {@link Double#NaN}. Empty when the key is absent or blank.
     */
    public List<Double> numbers(String key) {
        Optional<String> value = text(key);
        if (value.isEmpty() || value.get().isEmpty()) {
            return List.of();
        }
        List<Double> out = new ArrayList<>();
        for (String part : value.get().split("\\s+")) {
            OptionalDouble number = parseNumber(part);
            out.add(number.isPresent() ? number.getAsDouble() : Double.NaN);
        }
        return List.copyOf(out);
    }

    static OptionalDouble parseNumber(String raw) {
        String text = raw.strip();
        if (text.endsWith("%")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.isEmpty() || lower.contains("inf") || lower.contains("nan")) {
            return OptionalDouble.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(Character.isDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return OptionalDouble.empty();
            }
        }
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    private static String shorten(String key) {
        return key.length() <= 32 ? key : key.substring(0, 32) + "…";
    }

    @Override
    public String toString() {
        return "AvalonStatus" + values.keySet();
    }
}
