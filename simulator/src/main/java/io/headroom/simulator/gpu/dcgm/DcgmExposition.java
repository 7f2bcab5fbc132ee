package io.headroom.simulator.gpu.dcgm;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Renders GPU samples as dcgm-exporter does: per field a {@code # HELP} and a {@code # TYPE} line
 * with the help text of {@code etc/default-counters.csv}, then one line per GPU with the labels of
 * its render template ({@code internal/pkg/rendermetrics/render_metrics.go}): {@code gpu},
 * {@code UUID}, {@code pci_bus_id}, {@code device}, {@code modelName}, {@code Hostname}. Values
 * without a fraction print as integers, as Go's formatting of DCGM's int64 fields does.
 */
final class DcgmExposition {

    /** DCGM_INT64_NOT_SUPPORTED, what the README shows for a field the GPU lacks. */
    static final String BLANK = "9223372036854775794";

    private record Field(String name, String type, String help, Function<GpuSample, Double> value) {}

    private static final List<Field> FIELDS = List.of(
            new Field("DCGM_FI_DEV_GPU_TEMP", "gauge", "GPU temperature (in C).", GpuSample::gpuTempC),
            new Field("DCGM_FI_DEV_MEMORY_TEMP", "gauge", "Memory temperature (in C).", GpuSample::memTempC),
            new Field("DCGM_FI_DEV_POWER_USAGE", "gauge", "Power draw (in W).", GpuSample::powerWatts),
            new Field(
                    "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION",
                    "counter",
                    "Total energy consumption since boot (in mJ).",
                    GpuSample::energyMillijoules),
            new Field("DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %).", GpuSample::utilPercent),
            new Field("DCGM_FI_DEV_XID_ERRORS", "gauge", "Value of the last XID error encountered.", s ->
                    (double) s.xidErrors()),
            new Field(
                    "DCGM_FI_DEV_CLOCKS_EVENT_REASONS",
                    "gauge",
                    "Current clock event reasons (bitmask of DCGM_CLOCKS_EVENT_REASON_*).",
                    s -> (double) s.throttleReasons()),
            new Field(
                    "DCGM_FI_DEV_ENFORCED_POWER_LIMIT",
                    "gauge",
                    "Effective power limit that the driver enforces after taking into account all limiters (in W).",
                    GpuSample::enforcedLimitWatts));

    private DcgmExposition() {}

    static String render(List<GpuSample> gpus, String hostname) {
        StringBuilder out = new StringBuilder(512 + gpus.size() * FIELDS.size() * 200);
        for (Field field : FIELDS) {
            out.append("# HELP ")
                    .append(field.name())
                    .append(' ')
                    .append(field.help())
                    .append('\n');
            out.append("# TYPE ")
                    .append(field.name())
                    .append(' ')
                    .append(field.type())
                    .append('\n');
            for (GpuSample gpu : gpus) {
                out.append(field.name())
                        .append("{gpu=\"")
                        .append(gpu.index())
                        .append("\",UUID=\"")
                        .append(escape(gpu.uuid()))
                        .append("\",pci_bus_id=\"")
                        .append(String.format(Locale.ROOT, "00000000:%02X:00.0", 0x18 + gpu.index()))
                        .append("\",device=\"nvidia")
                        .append(gpu.index())
                        .append("\",modelName=\"")
                        .append(escape(gpu.model()))
                        .append("\",Hostname=\"")
                        .append(escape(hostname))
                        .append("\"} ")
                        .append(number(field.value().apply(gpu)))
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return BLANK;
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value).replace("Infinity", "Inf");
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
