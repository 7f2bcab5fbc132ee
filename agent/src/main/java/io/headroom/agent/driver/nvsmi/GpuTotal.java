package io.headroom.agent.driver.nvsmi;

/**
 * How a per-GPU metric makes the device's own reading: given only when every GPU of the output has
 * a reading of the field (a sum over some GPUs would understate the host).
 */
public enum GpuTotal {
    /** No device reading. */
    NONE,
    /** The sum over the GPUs: power, power limits. */
    SUM,
    /** The largest of the GPUs: temperatures. */
    MAX
}
