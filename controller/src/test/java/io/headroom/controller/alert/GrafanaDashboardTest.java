package io.headroom.controller.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dist/grafana/headroom.json}: every panel queries through the {@code $datasource} variable,
 * and every PromQL expression in it passes {@code promtool check rules}, written as recording rules
 * with Grafana's variables replaced by what they stand for.
 */
@Timeout(120)
class GrafanaDashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static List<String> expressions(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            exprs.add(expr.asText());
        }
        return exprs;
    }

    /** Grafana's variables as PromQL: the rate interval a duration, the instance filter any. */
    static String substituted(String expr) {
        return expr.replace("$__rate_interval", "1m")
                .replace("$__interval", "1m")
                .replace("$instance", ".+");
    }

    /** Recording rules, one per expression, as {@code promtool check rules} reads them. */
    static String asRecordingRules(List<String> exprs) throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            rules.append("      - record: dashboard:expr_")
                    .append(i)
                    .append("\n        expr: ")
                    .append(JSON.writeValueAsString(substituted(exprs.get(i))))
                    .append('\n');
        }
        return rules.toString();
    }

    @Test
    void everyExpression_passesPromtoolCheckRules() throws Exception {
        List<String> exprs = expressions(JSON.readTree(Promtool.DASHBOARD.toFile()));
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(20);
        Path rules = dir.resolve("dashboard-rules.yml");
        Files.writeString(rules, asRecordingRules(exprs), StandardCharsets.UTF_8);

        Promtool.Run run = Promtool.run("check", "rules", rules.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: " + exprs.size() + " rules found");
    }

    /** The check can fail: one bad expression among the dashboard's fails it. */
    @Test
    void aBrokenExpression_failsTheCheck() throws Exception {
        List<String> exprs = new ArrayList<>(expressions(JSON.readTree(Promtool.DASHBOARD.toFile())));
        exprs.add("sum by (rack (headroom_rack_devices)");
        Path rules = dir.resolve("dashboard-rules.yml");
        Files.writeString(rules, asRecordingRules(exprs), StandardCharsets.UTF_8);

        Promtool.Run run = Promtool.run("check", "rules", rules.toString());

        assertThat(run.exitCode()).isNotZero();
    }

    @Test
    void everyPanelQueriesThroughTheDatasourceVariable_andCoversTheFiveSections() throws Exception {
        JsonNode dashboard = JSON.readTree(Promtool.DASHBOARD.toFile());
        JsonNode variables = dashboard.path("templating").path("list");
        assertThat(variables.findValuesAsText("name")).contains("datasource", "instance");
        assertThat(variables.get(0).path("type").asText()).isEqualTo("datasource");
        assertThat(variables.get(0).path("query").asText()).isEqualTo("prometheus");
        List<String> rows = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                rows.add(panel.path("title").asText());
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText())
                    .as(panel.path("title").asText())
                    .isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                assertThat(target.path("expr").asText()).isNotBlank();
            }
        }
        assertThat(rows).containsExactly("Site", "Feeds", "Racks", "Events", "Ingest health");
    }
}
