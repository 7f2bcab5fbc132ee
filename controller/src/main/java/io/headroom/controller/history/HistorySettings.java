package io.headroom.controller.history;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code history:} section of {@code controller.yaml}: which metrics keep a short-term history
 * (D41, D61, D62). A metric kept costs {@link History#bytesPerDevice(int) about 1,700 bytes} per device, whatever
 * its sample rate; one not kept costs nothing, and the API says so instead of answering an empty chart.
 *
 * @param metrics display keys of the metrics kept, as patterns in which {@code *} matches any
 *     characters ({@code power}, {@code temperature.*}, {@code fan.speed[*]}); {@code ["*"]} keeps every
 *     metric, an empty list none
 */
@Doc("The short-term history behind the device page's charts: the last hour in 10 s buckets and the last day in"
        + " 5 min buckets of each metric kept (docs/controller.md#short-term-history).")
public record HistorySettings(
        @Doc("Display keys of the metrics whose history is kept, as patterns: * matches any characters (power,"
                + " temperature.*, fan.speed[*]). [\"*\"] keeps every metric; [] none. Each metric kept costs"
                + " about 1,700 bytes per device.")
        @Default("['*']")
        List<String> metrics) {

    /** Longest pattern: longer than any display key ({@code name[instance]}, 64 + 2 + 32). */
    static final int MAX_PATTERN_LENGTH = 100;

    public HistorySettings {
        metrics = List.copyOf(metrics);
        for (int i = 0; i < metrics.size(); i++) {
            String pattern = metrics.get(i);
            if (pattern.isEmpty() || pattern.length() > MAX_PATTERN_LENGTH) {
                throw new IllegalArgumentException("metrics: pattern " + (i + 1) + " has " + pattern.length()
                        + " characters; a pattern has 1 to " + MAX_PATTERN_LENGTH);
            }
            for (int c = 0; c < pattern.length(); c++) {
                char ch = pattern.charAt(c);
                if (!allowed(ch)) {
                    throw new IllegalArgumentException("metrics: '" + pattern + "' has '" + ch
                            + "'; a display key has a-z, 0-9, '.', '_', '-', '[' and ']', and a pattern '*'");
                }
            }
        }
    }

    /** Every metric kept: what a controller.yaml without the section means. */
    public static HistorySettings defaults() {
        return new HistorySettings(List.of("*"));
    }

    /** Whether the metric with this display key keeps a history. */
    public MetricFilter filter() {
        if (metrics.contains("*")) {
            return MetricFilter.ALL;
        }
        List<Pattern> compiled = new ArrayList<>();
        for (String pattern : metrics) {
            compiled.add(glob(pattern));
        }
        return displayKey -> {
            for (Pattern pattern : compiled) {
                if (pattern.matcher(displayKey).matches()) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean allowed(char ch) {
        return (ch >= 'a' && ch <= 'z')
                || (ch >= '0' && ch <= '9')
                || ch == '.'
                || ch == '_'
                || ch == '-'
                || ch == '['
                || ch == ']'
                || ch == '*';
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        int from = 0;
        for (int star = pattern.indexOf('*'); star >= 0; star = pattern.indexOf('*', from)) {
            regex.append(Pattern.quote(pattern.substring(from, star))).append(".*");
            from = star + 1;
        }
        regex.append(Pattern.quote(pattern.substring(from)));
        return Pattern.compile(regex.toString());
    }

    /** Which metrics keep a history, by display key. */
    @FunctionalInterface
    public interface MetricFilter {
        /** Keeps every metric. */
        MetricFilter ALL = displayKey -> true;

        boolean keeps(String displayKey);
    }
}
