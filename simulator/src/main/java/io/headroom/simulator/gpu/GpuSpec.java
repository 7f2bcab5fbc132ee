package io.headroom.simulator.gpu;

import java.time.Duration;
import java.util.Objects;

/**
 * What a simulated GPU server is.
 *
 * @param model product name, as the BMC's service root says it
 * @param gpus number of GPUs
 * @param tdpWatts each GPU's maximum power limit (700 W for an H100 SXM, DEVICES.md §6)
 * @param idleWatts each GPU's draw with no work (about 70 W for an H100 SXM)
 * @param minLimitWatts the lowest power limit a GPU accepts
 * @param hostWatts the rest of the server (CPUs, memory, fans, NICs), taken as constant
 * @param powerTau time constant of a GPU's power following its target
 * @param thermalTau time constant of a GPU's temperature following its power
 * @param riseCPerWatt GPU temperature above inlet per watt of GPU power, in steady state
 * @param noiseWatts amplitude of the seeded power noise per GPU
 */
public record GpuSpec(
        String model,
        int gpus,
        double tdpWatts,
        double idleWatts,
        double minLimitWatts,
        double hostWatts,
        Duration powerTau,
        Duration thermalTau,
        double riseCPerWatt,
        double noiseWatts) {

    public GpuSpec {
        Objects.requireNonNull(model, "model");
        if (gpus < 1 || gpus > 64) {
            throw new IllegalArgumentException("gpus: must be 1 to 64, got " + gpus);
        }
        if (!(idleWatts > 0 && idleWatts < minLimitWatts && minLimitWatts <= tdpWatts)) {
            throw new IllegalArgumentException("need 0 < idleWatts < minLimitWatts <= tdpWatts, got " + idleWatts + ", "
                    + minLimitWatts + ", " + tdpWatts);
        }
        if (!(hostWatts >= 0) || !(riseCPerWatt > 0) || !(noiseWatts >= 0)) {
            throw new IllegalArgumentException("hostWatts, noiseWatts must be >= 0 and riseCPerWatt > 0");
        }
        if (powerTau.isNegative() || powerTau.isZero() || thermalTau.isNegative() || thermalTau.isZero()) {
            throw new IllegalArgumentException("powerTau and thermalTau must be positive");
        }
    }

    /**
     * An 8 x H100 SXM server (HGX class): 700 W TDP, ~70 W idle (DEVICES.md §6), 200 W lowest limit and
     * 1.2 kW of host (guesses), power settling in about a second, GPUs at ~70 °C at full power with a
     * 25 °C inlet.
     */
    public static GpuSpec hgxH100() {
        return new GpuSpec(
                "Simulated HGX H100 8-GPU",
                8,
                700,
                70,
                200,
                1200,
                Duration.ofMillis(500),
                Duration.ofSeconds(20),
                45.0 / 700,
                3);
    }

    /** Lowest chassis power limit: the host plus every GPU at its lowest limit. */
    public double allowableMinWatts() {
        return hostWatts + gpus * minLimitWatts;
    }

    /** Highest chassis power limit: the host plus every GPU at its TDP. */
    public double allowableMaxWatts() {
        return hostWatts + gpus * tdpWatts;
    }
}
