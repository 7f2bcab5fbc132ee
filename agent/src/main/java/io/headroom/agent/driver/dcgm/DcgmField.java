package io.headroom.agent.driver.dcgm;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.MetricType;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapping of a dcgm profile's {@code points.fields}: the samples of a DCGM field become
 * readings of a canonical metric, one per GPU.
 *
 * @param metric canonical metric name
 * @param name the exposition's metric name, e.g. {@code DCGM_FI_DEV_POWER_USAGE}
 * @param instance the reading's instance, with {@code {label}} replaced by that label's value
 *     ({@code {gpu}-memory} → {@code 0-memory}); empty stands for {@code {gpu}}; a sample whose
 *     instance comes out invalid gives no reading
 * @param scale factor from the field's unit to the metric's (mJ → kWh: 1/3.6e9)
 * @param total how the device's own reading is made from the GPUs'
 */
public record DcgmField(
        @Doc("Canonical metric name.") String metric,

        @Doc("Metric name in the exposition, e.g. DCGM_FI_DEV_POWER_USAGE.")
        String name,

        @Doc("Instance of the reading; {label} is replaced by that label's value; empty for {gpu}.") @Default("")
        String instance,

        @Doc("Factor from the field's unit to the metric's.") @Default("1")
        double scale,

        @Doc("Device reading from the GPUs': none, sum or max.") @Default("none")
        GpuTotal total) {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z_][a-zA-Z0-9_]*)}");

    public DcgmField {
        if (MetricDictionary.find(metric) == null) {
            throw new IllegalArgumentException("metric: unknown metric '" + metric + "'");
        }
        if (MetricDictionary.require(metric).type() == MetricType.METRIC_TYPE_STATE) {
            throw new IllegalArgumentException("metric: " + metric + " is a state; dcgm fields are numbers");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' is not a Prometheus metric name");
        }
        instance = instance.isEmpty() ? "{gpu}" : instance;
        if (!MetricDictionary.isValidInstance(PLACEHOLDER.matcher(instance).replaceAll("0"))) {
            throw new IllegalArgumentException("instance: '" + instance + "' must be [a-z0-9_-] around {label}s");
        }
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("scale: must be a non-zero number");
        }
        Objects.requireNonNull(total, "total");
    }

    /** The instance of a sample, or null when a label it names is missing or the result is invalid. */
    String instanceOf(PromSample sample) {
        Matcher m = PLACEHOLDER.matcher(instance);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = sample.labels().get(m.group(1));
            if (value == null || value.isEmpty()) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.toLowerCase(java.util.Locale.ROOT)));
        }
        m.appendTail(out);
        String result = out.toString();
        return !result.isEmpty() && MetricDictionary.isValidInstance(result) ? result : null;
    }
}
