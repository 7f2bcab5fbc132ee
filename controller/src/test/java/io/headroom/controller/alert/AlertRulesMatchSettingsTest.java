package io.headroom.controller.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One source of truth: {@code dist/prometheus/headroom-rules.yml} has exactly the rules of {@link
 * AlertRule}, with their severity, and the thresholds and {@code for:} durations of {@link
 * AlertSettings#DEFAULTS}. No promtool needed.
 */
class AlertRulesMatchSettingsTest {

    private static final AlertSettings S = AlertSettings.DEFAULTS;
    /** The comparison that ends an expression: {@code >= 90}, {@code > 1.02}. */
    private static final Pattern LAST_COMPARISON = Pattern.compile("(>=|>|==)\\s*([0-9.]+)\\s*$");

    private static Map<String, JsonNode> rules() throws Exception {
        JsonNode file = new YAMLMapper().readTree(Promtool.RULES.toFile());
        Map<String, JsonNode> rules = new LinkedHashMap<>();
        for (JsonNode group : file.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules.put(rule.path("alert").asText(), rule);
            }
        }
        return rules;
    }

    private static double threshold(JsonNode rule) {
        Matcher m = LAST_COMPARISON.matcher(rule.path("expr").asText().strip());
        assertThat(m.find())
                .as("a comparison ends " + rule.path("expr").asText())
                .isTrue();
        return Double.parseDouble(m.group(2));
    }

    /** Prometheus durations as the rules use them: 15s, 5m, 1h. */
    static Duration duration(String text) {
        Matcher m = Pattern.compile("(\\d+)([smh])").matcher(text);
        assertThat(m.matches()).as("duration " + text).isTrue();
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            default:
                return Duration.ofHours(n);
        }
    }

    @Test
    void theFileHasExactlyTheRulesOfAlertRule_withTheirSeverityAndFor() throws Exception {
        Map<String, JsonNode> rules = rules();
        assertThat(rules.keySet())
                .containsExactlyInAnyOrder(java.util.Arrays.stream(AlertRule.values())
                        .map(AlertRule::alertName)
                        .toArray(String[]::new));
        for (AlertRule rule : AlertRule.values()) {
            JsonNode r = rules.get(rule.alertName());
            assertThat(r.path("labels").path("severity").asText())
                    .as(rule.alertName())
                    .isEqualTo(rule.severity().label());
            assertThat(duration(r.path("for").asText())).as(rule.alertName()).isEqualTo(S.forDuration(rule));
            assertThat(r.path("annotations").path("summary").asText()).isNotBlank();
            assertThat(r.path("annotations").path("description").asText()).contains("Check");
        }
    }

    @Test
    void thresholds_equalTheDefaults() throws Exception {
        Map<String, JsonNode> rules = rules();
        assertThat(threshold(rules.get(AlertRule.DEVICE_HOT.alertName()))).isEqualTo(S.deviceHotC());
        assertThat(threshold(rules.get(AlertRule.NODE_NEAR_LIMIT.alertName()))).isEqualTo(S.nodeNearLimitRatio());
        assertThat(threshold(rules.get(AlertRule.GRID_EVENT_OFF_TARGET.alertName())))
                .isEqualTo(S.gridOffTargetRatio());
        assertThat(threshold(rules.get(AlertRule.OUTBOX_FILLING.alertName()))).isEqualTo(S.outboxOldestSeconds());
        assertThat(threshold(rules.get(AlertRule.DEVICE_OFFLINE.alertName()))).isZero();
        assertThat(threshold(rules.get(AlertRule.AGENT_STALE.alertName()))).isZero();
        assertThat(threshold(rules.get(AlertRule.RESERVATION_AT_RISK.alertName())))
                .isZero();
        String journal =
                rules.get(AlertRule.JOURNAL_ERRORS.alertName()).path("expr").asText();
        Matcher window = Pattern.compile("\\[(\\w+)]").matcher(journal);
        assertThat(window.find()).isTrue();
        assertThat(duration(window.group(1))).isEqualTo(S.journalErrorWindow());
        assertThat(journal).contains(AlertMonitor.JOURNAL_FAILURES.replace('.', '_') + "_total");
    }

    @Test
    void theGroupInterval_isTheControllersEvaluationInterval() throws Exception {
        JsonNode group = new YAMLMapper()
                .readTree(Promtool.RULES.toFile())
                .path("groups")
                .get(0);
        assertThat(duration(group.path("interval").asText())).isEqualTo(S.interval());
    }
}
