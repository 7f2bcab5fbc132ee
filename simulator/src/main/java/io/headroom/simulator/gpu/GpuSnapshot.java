package io.headroom.simulator.gpu;

/**
 * One GPU at one instant, in the units NVML and DCGM use, so that a DCGM exporter simulation can serve
 * them as they are.
 *
 * @param index the GPU's index, 0 …
 * @param powerWatts present draw ({@code DCGM_FI_DEV_POWER_USAGE})
 * @param energyMillijoules energy since the model started ({@code DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION})
 * @param temperatureC GPU temperature ({@code DCGM_FI_DEV_GPU_TEMP})
 * @param utilisationPercent GPU utilisation 0 … 100 ({@code DCGM_FI_DEV_GPU_UTIL})
 * @param enforcedLimitWatts the power limit in force ({@code DCGM_FI_DEV_ENFORCED_POWER_LIMIT})
 */
public record GpuSnapshot(
        int index,
        double powerWatts,
        long energyMillijoules,
        double temperatureC,
        int utilisationPercent,
        double enforcedLimitWatts) {}
