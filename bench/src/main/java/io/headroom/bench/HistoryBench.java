package io.headroom.bench;

import io.headroom.controller.history.History;
import io.headroom.controller.history.HistoryRange;
import io.headroom.controller.history.HistorySettings;
import io.headroom.controller.history.HistoryWriter;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures what the controller's short-term history (D41) holds in memory at a site's scale: {@code
 * devices} miners of 12 metrics each (power, hashrate, 3 chip and 3 board temperatures, 4 fans, as
 * in {@link IngestFixture}), every metric filled for a day (one sample per 10 s over the last hour,
 * one per 5 min over the 23 hours before: every bucket of both rings holds a point). Heap used is
 * read after a full GC before and after; the device records themselves are built before the first
 * reading, so only the history is counted. Prints:
 *
 * <pre>
 * BENCH history devices=… metrics=… kept=… bytes_per_device=… bytes_per_device_metric=…
 *       estimate_bytes_per_device=… total_mib=… points=… fill_ns_per_sample=… jdk=… cpus=…
 * </pre>
 *
 * Arguments: {@code [devices [metrics [patterns]]]}, default 100000, 12 and {@code *}: patterns are
 * {@code history.metrics} (D61) separated by commas, e.g. {@code power,hashrate,temperature.*}. Give
 * the JVM room: {@code -Xmx6g} at 100,000 devices.
 */
public final class HistoryBench {

    private static final long DAY_START = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    private static final long HOUR_MS = 3_600_000;

    private HistoryBench() {}

    public static void main(String[] args) {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int metrics = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        HistorySettings settings = new HistorySettings(List.of((args.length > 2 ? args[2] : "*").split(",", -1)));
        List<DeviceRecord> records = new ArrayList<>(devices);
        List<MetricSlot> slots = slots(metrics);
        for (int i = 0; i < devices; i++) {
            records.add(new DeviceRecord(
                    "miner-" + i,
                    "rack-" + i / 40,
                    "miner",
                    "Antminer S19 XP",
                    "bitmain/stock",
                    "",
                    3010,
                    slots,
                    List.of(),
                    DeviceState.ONLINE,
                    "",
                    "",
                    Instant.ofEpochMilli(DAY_START)));
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = heapAfterGc(memory);
        History history = new History(settings, new SimpleMeterRegistry());
        long samples = 0;
        long started = System.nanoTime();
        long dayEnd = DAY_START + 24 * HOUR_MS;
        for (int d = 0; d < devices; d++) {
            HistoryWriter writer = history.writer(records.get(d));
            for (int m = 0; m < metrics; m++) {
                double base = 1000 + 100 * m + d % 97;
                for (long t = DAY_START; t < dayEnd - HOUR_MS; t += HistoryRange.DAY.resolutionMillis()) {
                    writer.record(m, base + (t / 60_000) % 13, t);
                    samples++;
                }
                for (long t = dayEnd - HOUR_MS; t < dayEnd; t += HistoryRange.HOUR.resolutionMillis()) {
                    writer.record(m, base + (t / 10_000) % 17, t);
                    samples++;
                }
            }
        }
        long fillNanos = System.nanoTime() - started;
        long after = heapAfterGc(memory);
        long points = history.points();
        double perDevice = (after - before) / (double) devices;
        HistorySettings.MetricFilter filter = settings.filter();
        int kept = (int)
                slots.stream().filter(slot -> filter.keeps(slot.displayKey())).count();
        // Keep both alive past the last reading.
        if (history.devices() != devices || records.size() != devices) {
            throw new IllegalStateException("history holds " + history.devices() + " devices, expected " + devices);
        }
        System.out.println(String.format(
                Locale.ROOT,
                "BENCH history devices=%d metrics=%d kept=%d bytes_per_device=%.0f bytes_per_device_metric=%.0f"
                        + " estimate_bytes_per_device=%d total_mib=%.1f points=%d fill_ns_per_sample=%.1f jdk=%s"
                        + " cpus=%d",
                devices,
                metrics,
                kept,
                perDevice,
                perDevice / metrics,
                History.bytesPerDevice(metrics, kept),
                (after - before) / (1024.0 * 1024.0),
                points,
                fillNanos / (double) samples,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors()));
    }

    private static List<MetricSlot> slots(int metrics) {
        List<MetricSlot> all = new ArrayList<>();
        all.add(new MetricSlot("power", "", "W"));
        all.add(new MetricSlot("hashrate", "", "TH/s"));
        for (int i = 1; i <= 3; i++) {
            all.add(new MetricSlot("temperature.chip", "board" + i, "°C"));
        }
        for (int i = 1; i <= 3; i++) {
            all.add(new MetricSlot("temperature.board", "board" + i, "°C"));
        }
        for (int i = 1; all.size() < metrics; i++) {
            all.add(new MetricSlot("fan.speed", Integer.toString(i), "rpm"));
        }
        return List.copyOf(all.subList(0, metrics));
    }

    private static long heapAfterGc(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        // A few rounds: one System.gc() may leave finalizable or soft garbage behind.
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
