package io.headroom.agent.driver.nvsmi;

import java.util.OptionalDouble;

/**
 * One GPU's power limits and persistence mode as an output reports them; what {@code set-power-cap}
 * checks a value against and reads back.
 *
 * @param index the GPU's index (its {@code -i})
 * @param enforced the limit the driver enforces, W
 * @param min the lowest limit {@code -pl} accepts, W
 * @param max the highest, W
 * @param persistent whether persistence mode is Enabled (without it a cap is lost when the driver
 *     unloads with the last client)
 */
record GpuLimits(int index, OptionalDouble enforced, OptionalDouble min, OptionalDouble max, boolean persistent) {}
