package io.headroom.controller.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings that cannot be evaluated are refused, naming the field. */
class AlertSettingsTest {

    private static final AlertSettings D = AlertSettings.DEFAULTS;

    private static AlertSettings with(double nearLimit, double offTarget, Duration deviceHotFor) {
        return new AlertSettings(
                D.interval(),
                D.deviceHotC(),
                deviceHotFor,
                D.deviceOfflineFor(),
                D.agentStaleFor(),
                nearLimit,
                D.nodeNearLimitFor(),
                offTarget,
                D.gridOffTargetFor(),
                D.reservationAtRiskFor(),
                D.outboxOldestSeconds(),
                D.outboxFillingFor(),
                D.journalErrorWindow(),
                D.journalErrorsFor());
    }

    @Test
    void badValues_areRefused_namingTheField() {
        assertThatThrownBy(() -> with(1.5, 1.02, Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodeNearLimitRatio: must be in (0, 1], was 1.5");
        assertThatThrownBy(() -> with(Double.NaN, 1.02, Duration.ofMinutes(5)))
                .hasMessageStartingWith("nodeNearLimitRatio:");
        assertThatThrownBy(() -> with(0.95, 0.9, Duration.ofMinutes(5)))
                .hasMessage("gridOffTargetRatio: must be in [1, 2], was 0.9");
        assertThatThrownBy(() -> with(0.95, 1.02, Duration.ofSeconds(-1)))
                .hasMessage("deviceHotFor: must not be negative, was PT-1S");
    }

    @Test
    void everyRule_hasAForDuration() {
        for (AlertRule rule : AlertRule.values()) {
            assertThat(D.forDuration(rule)).as(rule.alertName()).isNotNull();
        }
        assertThat(with(0.95, 1.02, Duration.ZERO).forDuration(AlertRule.DEVICE_HOT))
                .isZero();
    }
}
