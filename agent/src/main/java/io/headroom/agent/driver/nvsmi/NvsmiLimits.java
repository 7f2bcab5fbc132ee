package io.headroom.agent.driver.nvsmi;

import io.headroom.config.Doc;
import java.util.List;

/**
 * Where an nvidia-smi profile finds a GPU's power limits ({@code points.power-limit}), each as
 * element paths below {@code <gpu>} tried in order: the limit the driver enforces (what a
 * {@code set-power-cap} is read back from) and the range {@code -pl} accepts.
 *
 * @param enforced v11 {@code power_readings/enforced_power_limit}, v12+ {@code
 *     gpu_power_readings/current_power_limit}
 * @param min the lowest limit the GPU accepts
 * @param max the highest
 */
public record NvsmiLimits(
        @Doc("Paths of the enforced power limit, tried in order.")
        List<String> enforced,

        @Doc("Paths of the lowest power limit the GPU accepts.")
        List<String> min,

        @Doc("Paths of the highest power limit the GPU accepts.")
        List<String> max) {
    public NvsmiLimits {
        enforced = checked(enforced, "enforced");
        min = checked(min, "min");
        max = checked(max, "max");
    }

    private static List<String> checked(List<String> paths, String key) {
        List<String> copy = List.copyOf(paths);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(key + ": name at least one element path");
        }
        for (String path : copy) {
            NvsmiXml.requireValidPath(path, key);
        }
        return copy;
    }
}
