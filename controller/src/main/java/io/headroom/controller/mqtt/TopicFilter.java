package io.headroom.controller.mqtt;

/**
 * MQTT topic filter syntax and matching (MQTT 5 §4.7, 3.1.1 §4.7). Headroom topics never start
 * with {@code $}, so the rule that wildcards do not match {@code $} topics never comes up.
 */
final class TopicFilter {
    private TopicFilter() {}

    /** Says what is wrong with a filter's syntax, or returns {@code null} when it is valid. */
    static String problem(String filter) {
        if (filter == null || filter.isEmpty()) {
            return "empty topic filter";
        }
        if (filter.indexOf('\0') >= 0) {
            return "topic filter contains U+0000";
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.indexOf('#') >= 0 && (!level.equals("#") || i != levels.length - 1)) {
                return "'#' must be the last level, on its own";
            }
            if (level.indexOf('+') >= 0 && !level.equals("+")) {
                return "'+' must be a whole level";
            }
        }
        return null;
    }

    /** True if the valid filter {@code filter} matches the topic name {@code topic}. */
    static boolean matches(String filter, String topic) {
        int f = 0;
        int t = 0;
        while (true) {
            int fEnd = filter.indexOf('/', f);
            String level = filter.substring(f, fEnd < 0 ? filter.length() : fEnd);
            if (level.equals("#")) {
                return true; // also matches the parent level: "a/#" matches "a" (§4.7.1.2)
            }
            int tEnd = topic.indexOf('/', t);
            int topicLevelEnd = tEnd < 0 ? topic.length() : tEnd;
            if (!level.equals("+") && !level.contentEquals(topic.subSequence(t, topicLevelEnd))) {
                return false;
            }
            if (fEnd < 0) {
                return tEnd < 0;
            }
            if (tEnd < 0) {
                // Topic exhausted; only a trailing "#" can still match.
                return filter.substring(fEnd + 1).equals("#");
            }
            f = fEnd + 1;
            t = tEnd + 1;
        }
    }
}
