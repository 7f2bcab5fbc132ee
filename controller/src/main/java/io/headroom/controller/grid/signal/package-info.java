/**
 * The MQTT grid signal (issue 7): a target percent with a timestamp on
 * {@code headroom/v1/<site>/grid/signal}, parsed and checked, kept as the last good signal, and
 * turned into a fail-safe status once it is older than the configured maximum age. See
 * {@code docs/grid-signal.md}.
 */
@NullMarked
package io.headroom.controller.grid.signal;

import org.jspecify.annotations.NullMarked;
