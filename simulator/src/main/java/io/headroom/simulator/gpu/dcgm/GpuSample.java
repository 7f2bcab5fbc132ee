package io.headroom.simulator.gpu.dcgm;

import java.util.Objects;

/**
 * What one GPU reports at one instant, as the exporter renders it. A {@code NaN} in a measured field
 * is "no value": the exporter prints DCGM's blank sentinel for it, as real ones do for fields a GPU
 * does not support (the README's {@code DCGM_FI_DEV_MEMORY_TEMP … 9223372036854775794}).
 *
 * @param index the GPU's index (label {@code gpu}, device {@code nvidia<index>})
 * @param uuid e.g. {@code GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52}
 * @param model e.g. {@code NVIDIA H200}
 * @param powerWatts power draw
 * @param energyMillijoules energy since the driver loaded
 * @param gpuTempC die temperature
 * @param memTempC HBM temperature
 * @param utilPercent GPU utilisation, 0–100
 * @param xidErrors the last XID error's code, 0 for none
 * @param throttleReasons the clocks-event reasons bitmask (DCGM_CLOCKS_THROTTLE_REASON_*)
 * @param enforcedLimitWatts the enforced power limit
 */
public record GpuSample(
        int index,
        String uuid,
        String model,
        double powerWatts,
        double energyMillijoules,
        double gpuTempC,
        double memTempC,
        double utilPercent,
        long xidErrors,
        long throttleReasons,
        double enforcedLimitWatts) {
    public GpuSample {
        if (index < 0) {
            throw new IllegalArgumentException("index: must be ≥ 0");
        }
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(model, "model");
    }
}
