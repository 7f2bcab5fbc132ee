package io.headroom.agent.driver.cgminer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small path language of profiles: dot-separated object keys, each optionally followed by
 * array indexes, e.g. {@code STATS[1].GHS 5s}. Keys may contain spaces (CGMiner's {@code GHS 5s})
 * but no dots or brackets.
 */
public final class JsonPath {

    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private JsonPath() {}

    /** One step of a path: an object key, or an array index when {@code key} is null. */
    public record Step(String key, int index) {}

    /**
     * Splits a path into steps.
     *
     * @throws IllegalArgumentException naming the path when it is not valid
     */
    public static List<Step> parse(String path) {
        Objects.requireNonNull(path, "path");
        List<Step> steps = new ArrayList<>();
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path: must not be empty");
        }
        for (String segment : path.split("\\.", -1)) {
            Matcher matcher = SEGMENT.matcher(segment);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("path: '" + path + "' is not KEY[INDEX].KEY…");
            }
            steps.add(new Step(matcher.group(1), -1));
            Matcher index = INDEX.matcher(matcher.group(2));
            while (index.find()) {
                steps.add(new Step(null, Integer.parseInt(index.group(1))));
            }
        }
        return List.copyOf(steps);
    }

    static String requireValid(String path, String field) {
        try {
            parse(path);
            return path;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }
}
