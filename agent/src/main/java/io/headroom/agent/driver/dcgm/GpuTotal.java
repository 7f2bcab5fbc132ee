package io.headroom.agent.driver.dcgm;

/**
 * How a per-GPU metric makes the device's own reading (the one without an instance). A total is
 * given only when every GPU the scrape names has a reading of the field: a sum over some GPUs
 * would understate the server.
 */
public enum GpuTotal {
    /** No device reading. */
    NONE,
    /** The sum over the GPUs: power, energy, power limits. */
    SUM,
    /** The largest of the GPUs: temperatures (the dictionary's "device maximum"). */
    MAX
}
