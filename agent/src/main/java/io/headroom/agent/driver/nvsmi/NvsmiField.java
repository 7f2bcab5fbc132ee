package io.headroom.agent.driver.nvsmi;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.MetricType;
import java.util.List;
import java.util.Objects;

/**
 * One mapping of an nvidia-smi profile's {@code points.fields}: an element of each {@code <gpu>}
 * becomes a reading per GPU (instance = the GPU's index).
 *
 * @param metric canonical metric name
 * @param instance the reading's instance with {@code {index}} replaced by the GPU's index; empty
 *     stands for {@code {index}}
 * @param paths element paths below {@code <gpu>}, tried in order (schemas move fields: v11
 *     {@code power_readings/power_draw}, v12 {@code gpu_power_readings/power_draw}, v13
 *     {@code gpu_power_readings/instant_power_draw}); the first present with a value wins
 * @param unit the unit nvidia-smi prints after the number ({@code W}, {@code C}, {@code %});
 *     a value in another unit is an error, never a guess
 * @param scale factor from that unit to the metric's
 * @param total how the device's own reading is made from the GPUs'
 */
public record NvsmiField(
        @Doc("Canonical metric name.") String metric,

        @Doc("Instance of the reading; {index} is the GPU's index; empty for {index}.") @Default("")
        String instance,

        @Doc("Element paths below <gpu>, tried in order, e.g. gpu_power_readings/power_draw.")
        List<String> paths,

        @Doc("Unit nvidia-smi prints after the number: W, C, %, MHz; empty for none.") @Default("")
        String unit,

        @Doc("Factor from that unit to the metric's.") @Default("1")
        double scale,

        @Doc("Device reading from the GPUs': none, sum or max.") @Default("none")
        GpuTotal total) {

    public NvsmiField {
        if (MetricDictionary.find(metric) == null) {
            throw new IllegalArgumentException("metric: unknown metric '" + metric + "'");
        }
        if (MetricDictionary.require(metric).type() == MetricType.METRIC_TYPE_STATE) {
            throw new IllegalArgumentException("metric: " + metric + " is a state; nvidia-smi fields are numbers");
        }
        instance = instance.isEmpty() ? "{index}" : instance;
        if (!MetricDictionary.isValidInstance(instance.replace("{index}", "0"))) {
            throw new IllegalArgumentException("instance: '" + instance + "' must be [a-z0-9_-] around {index}");
        }
        paths = List.copyOf(paths);
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("paths: name at least one element path");
        }
        for (String path : paths) {
            NvsmiXml.requireValidPath(path, "paths");
        }
        Objects.requireNonNull(unit, "unit");
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("scale: must be a non-zero number");
        }
        Objects.requireNonNull(total, "total");
    }

    String instanceOf(int index) {
        return instance.replace("{index}", Integer.toString(index));
    }
}
