/**
 * Grid events: requests from the utility or an operator to keep the site at or below a power
 * target for a window ({@code POST /api/v1/grid-events}, the {@code grid-schedule} in
 * {@code site.yaml}), the {@link io.headroom.controller.grid.GridEventBook} that the control engine
 * asks for the site's target each tick, and each event's compliance record, proven by the meter.
 */
@NullMarked
package io.headroom.controller.grid;

import org.jspecify.annotations.NullMarked;
