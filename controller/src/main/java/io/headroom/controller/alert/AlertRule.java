package io.headroom.controller.alert;

/**
 * Every alert Headroom ships, by the {@code alert:} name it has in {@code
 * dist/prometheus/headroom-rules.yml}. The controller evaluates those whose data it holds; the
 * agent outbox and reservations are Prometheus's alone for now (the controller does not see an
 * agent's outbox, and reservations are not built yet).
 */
public enum AlertRule {
    DEVICE_HOT("HeadroomDeviceHot", Severity.WARNING, true),
    DEVICE_OFFLINE("HeadroomDeviceOffline", Severity.WARNING, true),
    AGENT_STALE("HeadroomAgentStale", Severity.CRITICAL, true),
    NODE_NEAR_LIMIT("HeadroomNodeNearLimit", Severity.WARNING, true),
    GRID_EVENT_OFF_TARGET("HeadroomGridEventOffTarget", Severity.CRITICAL, true),
    RESERVATION_AT_RISK("HeadroomReservationAtRisk", Severity.CRITICAL, false),
    OUTBOX_FILLING("HeadroomAgentOutboxFilling", Severity.WARNING, false),
    JOURNAL_ERRORS("HeadroomJournalErrors", Severity.CRITICAL, true);

    /** The rule's {@code severity} label. */
    public enum Severity {
        WARNING("warning"),
        CRITICAL("critical");

        private final String label;

        Severity(String label) {
            this.label = label;
        }

        /** As the rule file spells it. */
        public String label() {
            return label;
        }
    }

    private final String alertName;
    private final Severity severity;
    private final boolean controllerEvaluated;

    AlertRule(String alertName, Severity severity, boolean controllerEvaluated) {
        this.alertName = alertName;
        this.severity = severity;
        this.controllerEvaluated = controllerEvaluated;
    }

    /** The Prometheus {@code alert:} name. */
    public String alertName() {
        return alertName;
    }

    public Severity severity() {
        return severity;
    }

    /** Whether the controller evaluates it too (and the web page can show it). */
    public boolean controllerEvaluated() {
        return controllerEvaluated;
    }
}
