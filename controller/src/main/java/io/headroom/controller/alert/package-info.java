/**
 * The controller's own evaluation of the alert conditions that {@code dist/prometheus/headroom-rules.yml}
 * ships for Prometheus (same thresholds, same {@code for:} durations, one {@link
 * io.headroom.controller.alert.AlertSettings}), the gauges those rules read, and the active alerts
 * that {@code GET /api/v1/alerts} and the web page show.
 */
@NullMarked
package io.headroom.controller.alert;

import org.jspecify.annotations.NullMarked;
