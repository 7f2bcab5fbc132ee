package io.headroom.agent.driver.dcgm;

import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.DeviceHealth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a dcgm profile makes of a parsed exposition: readings per GPU and for the device, the
 * device's identity, and its health. A pure function; the golden cases run it on captured bodies.
 *
 * <p>Health: DEGRADED with reason {@code bad-response} when some lines broke the format (the lines
 * that parsed still count), DEGRADED with a condition's reason while a {@code degraded-when} field
 * holds on a GPU, DEGRADED {@code no-gpus} when no mapped field names a GPU; else ONLINE. Blank
 * sentinels ({@link DcgmBlank}) and non-finite values give no reading and are not errors.
 */
final class DcgmReadings {

    /** The label naming a GPU, the same in every dcgm-exporter release. */
    static final String GPU_LABEL = "gpu";

    private DcgmReadings() {}

    static PollResult interpret(Instant at, DcgmProfile profile, PromExposition exposition) {
        DcgmPoints points = profile.points();
        Map<String, List<PromSample>> byName = new LinkedHashMap<>();
        for (PromSample sample : exposition.samples()) {
            byName.computeIfAbsent(sample.name(), k -> new ArrayList<>()).add(sample);
        }
        Set<String> gpus = new LinkedHashSet<>();
        for (DcgmField field : points.fields()) {
            for (PromSample sample : byName.getOrDefault(field.name(), List.of())) {
                if (!sample.label(GPU_LABEL).isEmpty()) {
                    gpus.add(sample.label(GPU_LABEL));
                }
            }
        }
        List<Reading> readings = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (DcgmField field : points.fields()) {
            boolean counter = exposition.type(field.name()).equals("counter");
            Map<String, Double> perGpu = new LinkedHashMap<>();
            for (PromSample sample : byName.getOrDefault(field.name(), List.of())) {
                if (!Double.isFinite(sample.value()) || DcgmBlank.isBlank(sample.value(), counter)) {
                    continue;
                }
                String instance = field.instanceOf(sample);
                String gpu = sample.label(GPU_LABEL);
                if (instance == null || gpu.isEmpty() || perGpu.containsKey(gpu)) {
                    continue; // one reading per GPU: MIG rows of a device field repeat the GPU's value
                }
                double value = sample.value() * field.scale();
                perGpu.put(gpu, value);
                if (taken.add(MetricDictionary.displayKey(field.metric(), instance))) {
                    readings.add(Reading.of(field.metric(), instance, value));
                }
            }
            if (field.total() != GpuTotal.NONE
                    && !gpus.isEmpty()
                    && perGpu.keySet().containsAll(gpus)) {
                if (taken.add(MetricDictionary.displayKey(field.metric(), ""))) {
                    readings.add(Reading.of(field.metric(), "", total(field.total(), perGpu.values())));
                }
            }
        }
        DeviceIdentity identity = identity(points, exposition);
        if (!exposition.errors().isEmpty()) {
            return new PollResult(
                    at,
                    DeviceHealth.DEVICE_HEALTH_DEGRADED,
                    DcgmException.BAD_RESPONSE,
                    "not the Prometheus text format: " + String.join("; ", firstOf(exposition.errors(), 3)),
                    identity,
                    readings);
        }
        List<String> held = new ArrayList<>();
        String reason = "";
        for (DcgmCondition condition : points.degradedWhen()) {
            boolean counter = exposition.type(condition.name()).equals("counter");
            for (PromSample sample : byName.getOrDefault(condition.name(), List.of())) {
                if (DcgmBlank.isBlank(sample.value(), counter) || !condition.holds(sample.value())) {
                    continue;
                }
                if (reason.isEmpty()) {
                    reason = condition.reason();
                }
                String value = condition.mask() == 0 ? sample.text() : "0x" + Long.toHexString((long) sample.value());
                held.add("GPU " + sample.label(GPU_LABEL) + ": " + condition.name() + " = " + value);
            }
        }
        if (!held.isEmpty()) {
            return new PollResult(
                    at, DeviceHealth.DEVICE_HEALTH_DEGRADED, reason, String.join("; ", held), identity, readings);
        }
        if (gpus.isEmpty()) {
            return new PollResult(
                    at,
                    DeviceHealth.DEVICE_HEALTH_DEGRADED,
                    "no-gpus",
                    "the exposition has no sample of a mapped field with a " + GPU_LABEL + " label",
                    identity,
                    readings);
        }
        return new PollResult(at, DeviceHealth.DEVICE_HEALTH_ONLINE, "", "", identity, readings);
    }

    private static double total(GpuTotal total, Iterable<Double> values) {
        double out = total == GpuTotal.MAX ? Double.NEGATIVE_INFINITY : 0;
        for (double value : values) {
            out = total == GpuTotal.MAX ? Math.max(out, value) : out + value;
        }
        return out;
    }

    private static DeviceIdentity identity(DcgmPoints points, PromExposition exposition) {
        for (PromSample sample : exposition.samples()) {
            String model = sample.label(points.modelLabel());
            if (!model.isEmpty()) {
                return new DeviceIdentity(model, sample.label(points.driverLabel()));
            }
        }
        return null;
    }

    private static List<String> firstOf(List<String> list, int n) {
        return list.size() <= n ? list : list.subList(0, n);
    }
}
