/**
 * The controller's short-term history per device-metric (the last hour at 10 s, the last day at
 * 5 min, mean and max per bucket) that the device page's charts read; long-term history stays in
 * the user's Prometheus. See D41 in {@code docs/decisions.md}.
 */
@NullMarked
package io.headroom.controller.history;

import org.jspecify.annotations.NullMarked;
