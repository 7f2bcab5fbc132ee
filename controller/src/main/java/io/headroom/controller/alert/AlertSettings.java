package io.headroom.controller.alert;

import java.time.Duration;
import java.util.Objects;

/**
 * The thresholds and {@code for:} durations of every alert: the one source of truth for both the
 * controller's own evaluation and {@code dist/prometheus/headroom-rules.yml}, whose numbers a test
 * ({@code AlertRulesMatchSettingsTest}) holds equal to {@link #DEFAULTS}. Change a default here and
 * in the rule file together.
 *
 * @param interval how often the controller evaluates (Prometheus: the rule group's {@code interval})
 * @param deviceHotC a device's hottest chip temperature at or above this is hot (°C)
 * @param deviceHotFor how long a device must stay hot
 * @param deviceOfflineFor how long a device must stay OFFLINE
 * @param agentStaleFor how long an agent's devices must stay STALE
 * @param nodeNearLimitRatio load over limit at or above this is near the limit (0.95: 95 %)
 * @param nodeNearLimitFor how long a node must stay near its limit
 * @param gridOffTargetRatio site load over the grid event's target above this is off target (1.02: 2 % over)
 * @param gridOffTargetFor how long the site must stay off target
 * @param reservationAtRiskFor how long a reservation must stay at risk
 * @param outboxOldestSeconds an agent's oldest unacknowledged record older than this means its outbox is filling
 * @param outboxFillingFor how long the outbox must stay that old
 * @param journalErrorWindow a journal write failure within this window is an error
 * @param journalErrorsFor how long the error must stay within the window
 */
public record AlertSettings(
        Duration interval,
        double deviceHotC,
        Duration deviceHotFor,
        Duration deviceOfflineFor,
        Duration agentStaleFor,
        double nodeNearLimitRatio,
        Duration nodeNearLimitFor,
        double gridOffTargetRatio,
        Duration gridOffTargetFor,
        Duration reservationAtRiskFor,
        double outboxOldestSeconds,
        Duration outboxFillingFor,
        Duration journalErrorWindow,
        Duration journalErrorsFor) {

    /** Equal to the shipped rule file's numbers. */
    public static final AlertSettings DEFAULTS = new AlertSettings(
            Duration.ofSeconds(15),
            90,
            Duration.ofMinutes(5),
            Duration.ofMinutes(10),
            Duration.ofMinutes(2),
            0.95,
            Duration.ofMinutes(5),
            1.02,
            Duration.ofMinutes(2),
            Duration.ofMinutes(1),
            300,
            Duration.ofMinutes(5),
            Duration.ofMinutes(10),
            Duration.ofMinutes(1));

    public AlertSettings {
        positive(interval, "interval");
        notNegative(deviceHotFor, "deviceHotFor");
        notNegative(deviceOfflineFor, "deviceOfflineFor");
        notNegative(agentStaleFor, "agentStaleFor");
        notNegative(nodeNearLimitFor, "nodeNearLimitFor");
        notNegative(gridOffTargetFor, "gridOffTargetFor");
        notNegative(reservationAtRiskFor, "reservationAtRiskFor");
        notNegative(outboxFillingFor, "outboxFillingFor");
        positive(journalErrorWindow, "journalErrorWindow");
        notNegative(journalErrorsFor, "journalErrorsFor");
        finite(deviceHotC, "deviceHotC");
        if (!(nodeNearLimitRatio > 0 && nodeNearLimitRatio <= 1)) {
            throw new IllegalArgumentException("nodeNearLimitRatio: must be in (0, 1], was " + nodeNearLimitRatio);
        }
        if (!(gridOffTargetRatio >= 1 && gridOffTargetRatio <= 2)) {
            throw new IllegalArgumentException("gridOffTargetRatio: must be in [1, 2], was " + gridOffTargetRatio);
        }
        if (!(outboxOldestSeconds > 0 && Double.isFinite(outboxOldestSeconds))) {
            throw new IllegalArgumentException("outboxOldestSeconds: must be positive, was " + outboxOldestSeconds);
        }
    }

    /** The {@code for:} duration of {@code rule}. */
    public Duration forDuration(AlertRule rule) {
        switch (rule) {
            case DEVICE_HOT:
                return deviceHotFor;
            case DEVICE_OFFLINE:
                return deviceOfflineFor;
            case AGENT_STALE:
                return agentStaleFor;
            case NODE_NEAR_LIMIT:
                return nodeNearLimitFor;
            case GRID_EVENT_OFF_TARGET:
                return gridOffTargetFor;
            case RESERVATION_AT_RISK:
                return reservationAtRiskFor;
            case OUTBOX_FILLING:
                return outboxFillingFor;
            case JOURNAL_ERRORS:
                return journalErrorsFor;
            default:
                throw new AssertionError(rule);
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": must be positive, was " + value);
        }
    }

    private static void notNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + ": must not be negative, was " + value);
        }
    }

    private static void finite(double value, String name) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + ": must be finite, was " + value);
        }
    }
}
