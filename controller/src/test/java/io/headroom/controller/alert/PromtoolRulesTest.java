package io.headroom.controller.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shipped rules pass {@code promtool check rules} and their unit tests pass {@code promtool test rules}. */
@Timeout(120)
class PromtoolRulesTest {

    @TempDir
    Path dir;

    @Test
    void checkRules_shippedRules_areValidAndAllEightFound() throws Exception {
        Promtool.Run run = Promtool.run("check", "rules", Promtool.RULES.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: " + AlertRule.values().length + " rules found");
    }

    @Test
    void testRules_everyRuleFiresAfterItsForAndClears() throws Exception {
        Promtool.Run run = Promtool.run("test", "rules", Promtool.RULE_TESTS.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    @Test
    void testRules_everyRuleHasATest() throws Exception {
        String tests = Files.readString(Promtool.RULE_TESTS, StandardCharsets.UTF_8);
        for (AlertRule rule : AlertRule.values()) {
            assertThat(tests).as(rule.alertName()).contains("alertname: " + rule.alertName());
        }
    }

    /** The harness can fail: a rule whose threshold moved fails its unit test. */
    @Test
    void testRules_aMovedThreshold_fails() throws Exception {
        String rules = Files.readString(Promtool.RULES, StandardCharsets.UTF_8);
        String moved = rules.replace(
                "headroom_rack_temperature_max_celsius >= 90", "headroom_rack_temperature_max_celsius >= 99");
        assertThat(moved).isNotEqualTo(rules);
        Files.writeString(dir.resolve("headroom-rules.yml"), moved, StandardCharsets.UTF_8);
        Files.copy(Promtool.RULE_TESTS, dir.resolve("headroom-rules.test.yml"));

        Promtool.Run run = Promtool.run(
                "test", "rules", dir.resolve("headroom-rules.test.yml").toString());

        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("HeadroomDeviceHot");
    }

    @Test
    void checkRules_aBrokenExpression_fails() throws Exception {
        Path broken = dir.resolve("broken.yml");
        Files.writeString(
                broken,
                "groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: rate(headroom_devices[5m]\n",
                StandardCharsets.UTF_8);

        Promtool.Run run = Promtool.run("check", "rules", broken.toString());

        assertThat(run.exitCode()).isNotZero();
    }
}
