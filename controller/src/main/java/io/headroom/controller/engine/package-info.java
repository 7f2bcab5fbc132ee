/**
 * The control engine: keeps every limit of the site tree, curtails for grid events and restores
 * afterwards. {@link io.headroom.controller.engine.ControlEngine} is a pure function of its input
 * (power truth and device facts), its {@link io.headroom.controller.engine.EngineState} and the time;
 * {@link io.headroom.controller.engine.EngineLoop} runs it against the live controller.
 */
@NullMarked
package io.headroom.controller.engine;

import org.jspecify.annotations.NullMarked;
