package io.headroom.agent.driver.nvsmi;

import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.DeviceHealth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What an nvidia-smi profile makes of a parsed output: readings per GPU (instance = index) and for
 * the host, identity (the first GPU's product name, the driver version), every GPU's power limits,
 * and health. A pure function; the golden cases run it on captured outputs.
 *
 * <p>Health: DEGRADED {@code gpu-read-error} when a mapped value is an error ({@code [Unknown Error]},
 * {@code [GPU is lost]}, a number in the wrong unit; the other values still count), DEGRADED
 * {@code gpu-throttled} while a listed throttle reason is Active, DEGRADED {@code no-gpus} for an
 * output without GPUs; else ONLINE. "N/A" and "[Not Supported]" give no reading and are not errors.
 */
final class NvsmiReadings {

    private static final String REASON_MARK = "_reason_";

    /** A poll's result and the GPUs' limits. */
    record Interpretation(PollResult result, Map<Integer, GpuLimits> limits) {}

    private NvsmiReadings() {}

    static Interpretation interpret(Instant at, NvsmiProfile profile, NvsmiLog log) {
        NvsmiPoints points = profile.points();
        List<Element> gpus = log.gpus();
        List<Reading> readings = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (NvsmiField field : points.fields()) {
            List<Double> values = new ArrayList<>();
            for (int index = 0; index < gpus.size(); index++) {
                NvsmiXml.Value value = first(gpus.get(index), field.paths(), field.unit());
                if (value.kind() == NvsmiXml.Kind.ERROR) {
                    errors.add("GPU " + index + " " + field.metric() + ": " + value.problem());
                    continue;
                }
                if (value.kind() == NvsmiXml.Kind.ABSENT) {
                    continue;
                }
                double scaled = value.number() * field.scale();
                values.add(scaled);
                String instance = field.instanceOf(index);
                if (taken.add(MetricDictionary.displayKey(field.metric(), instance))) {
                    readings.add(Reading.of(field.metric(), instance, scaled));
                }
            }
            if (field.total() != GpuTotal.NONE && !gpus.isEmpty() && values.size() == gpus.size()) {
                if (taken.add(MetricDictionary.displayKey(field.metric(), ""))) {
                    double total = field.total() == GpuTotal.MAX
                            ? values.stream()
                                    .mapToDouble(Double::doubleValue)
                                    .max()
                                    .orElseThrow()
                            : values.stream().mapToDouble(Double::doubleValue).sum();
                    readings.add(Reading.of(field.metric(), "", total));
                }
            }
        }
        Map<Integer, GpuLimits> limits = new LinkedHashMap<>();
        List<String> throttled = new ArrayList<>();
        for (int index = 0; index < gpus.size(); index++) {
            Element gpu = gpus.get(index);
            limits.put(
                    index,
                    new GpuLimits(
                            index,
                            number(gpu, points.powerLimit().enforced()),
                            number(gpu, points.powerLimit().min()),
                            number(gpu, points.powerLimit().max()),
                            "Enabled".equalsIgnoreCase(NvsmiXml.text(gpu, points.persistenceMode()))));
            List<String> active = activeReasons(gpu, points);
            if (!active.isEmpty()) {
                throttled.add("GPU " + index + ": " + String.join(", ", active));
            }
        }
        DeviceIdentity identity = identity(log);
        PollResult result;
        if (gpus.isEmpty()) {
            result = new PollResult(
                    at,
                    DeviceHealth.DEVICE_HEALTH_DEGRADED,
                    "no-gpus",
                    "the output lists no <gpu>",
                    identity,
                    readings);
        } else if (!errors.isEmpty()) {
            result = new PollResult(
                    at,
                    DeviceHealth.DEVICE_HEALTH_DEGRADED,
                    "gpu-read-error",
                    String.join("; ", errors),
                    identity,
                    readings);
        } else if (!throttled.isEmpty()) {
            result = new PollResult(
                    at,
                    DeviceHealth.DEVICE_HEALTH_DEGRADED,
                    "gpu-throttled",
                    "clocks held back: " + String.join("; ", throttled),
                    identity,
                    readings);
        } else {
            result = new PollResult(at, DeviceHealth.DEVICE_HEALTH_ONLINE, "", "", identity, readings);
        }
        return new Interpretation(result, limits);
    }

    private static NvsmiXml.Value first(Element gpu, List<String> paths, String unit) {
        NvsmiXml.Value out = NvsmiXml.Value.ABSENT_VALUE;
        for (String path : paths) {
            String text = NvsmiXml.text(gpu, path);
            if (text == null) {
                continue;
            }
            NvsmiXml.Value value = NvsmiXml.value(text, unit);
            if (value.kind() == NvsmiXml.Kind.NUMBER) {
                return value;
            }
            if (value.kind() == NvsmiXml.Kind.ERROR && out.kind() == NvsmiXml.Kind.ABSENT) {
                out = value;
            }
        }
        return out;
    }

    private static OptionalDouble number(Element gpu, List<String> paths) {
        NvsmiXml.Value value = first(gpu, paths, "W");
        return value.kind() == NvsmiXml.Kind.NUMBER ? OptionalDouble.of(value.number()) : OptionalDouble.empty();
    }

    private static List<String> activeReasons(Element gpu, NvsmiPoints points) {
        List<String> active = new ArrayList<>();
        for (String container : points.throttleReasons()) {
            Element reasons = NvsmiXml.element(gpu, container);
            if (reasons == null) {
                continue;
            }
            for (Node child = reasons.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (!(child instanceof Element)) {
                    continue;
                }
                String name = ((Element) child).getTagName();
                int mark = name.lastIndexOf(REASON_MARK);
                String reason = mark < 0 ? name : name.substring(mark + REASON_MARK.length());
                if (points.degradedReasons().contains(reason)
                        && "Active".equalsIgnoreCase(child.getTextContent().strip())) {
                    active.add(reason);
                }
            }
            break; // the first container present is the schema's
        }
        return active;
    }

    private static DeviceIdentity identity(NvsmiLog log) {
        String driver = NvsmiXml.text(log.root(), "driver_version");
        String model = log.gpus().isEmpty() ? null : NvsmiXml.text(log.gpus().get(0), "product_name");
        if (model == null || model.isEmpty()) {
            return null;
        }
        return new DeviceIdentity(model, driver == null ? "" : driver);
    }
}
