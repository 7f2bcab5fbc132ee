package io.headroom.controller.history;

import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.StateStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The short-term history of every device-metric (D41): fed by ingest through a {@link HistoryWriter}
 * per device, read by {@code GET /api/v1/devices/{id}/history}. Bounded: a device of {@code n} metrics
 * holds {@link #bytesPerDevice(int)} bytes, whatever its sample rate; devices the store no longer
 * knows are dropped by {@link #prune(StateStore)}.
 *
 * <p>Thread-safe. No lock is held across devices: the map is a {@link ConcurrentHashMap} and each
 * device's history has its own monitor, held for a few array writes per sample.
 *
 * <p>Meters: {@code headroom.history.points} (buckets holding a point), {@code headroom.history.bytes}
 * (the memory estimate), {@code headroom.history.devices}, {@code headroom.history.slab.bytes} (the
 * slabs the rings live in, D67: the estimate's rings plus the ranges free for reuse and the newest slabs'
 * unused tails), and {@code headroom.history.samples.dropped}
 * tagged {@code reason} ({@code late}: older than its bucket's ring allows; {@code range}: too large
 * for a double's scale).
 */
public final class History {

    /** Why a sample did not enter the history. */
    enum DropReason {
        LATE("late"),
        RANGE("range");

        private final String tag;

        DropReason(String tag) {
            this.tag = tag;
        }
    }

    private final boolean enabled;
    private final HistorySettings.MetricFilter filter;
    private final ConcurrentHashMap<String, DeviceHistory> byDevice = new ConcurrentHashMap<>();
    private final RingSlabs slabs = new RingSlabs();
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);

    private History(boolean enabled, HistorySettings.MetricFilter filter, MeterRegistry registry) {
        this.enabled = enabled;
        this.filter = filter;
        for (DropReason reason : DropReason.values()) {
            dropped.put(
                    reason,
                    Counter.builder("headroom.history.samples.dropped")
                            .tag("reason", reason.tag)
                            .description("Samples the short-term history did not keep")
                            .register(registry));
        }
        if (enabled) {
            Gauge.builder("headroom.history.points", this, History::points)
                    .description("Buckets of the short-term history that hold a point")
                    .register(registry);
            Gauge.builder("headroom.history.bytes", this, History::bytes)
                    .description("Memory the short-term history holds, estimated")
                    .baseUnit("bytes")
                    .register(registry);
            Gauge.builder("headroom.history.devices", byDevice, Map::size)
                    .description("Devices with a short-term history")
                    .register(registry);
            Gauge.builder("headroom.history.slab.bytes", slabs, RingSlabs::slabBytes)
                    .description("Bytes of the slabs the history's rings live in, ranges in use or free (D67)")
                    .baseUnit("bytes")
                    .register(registry);
        }
    }

    /** A history that keeps every metric of every device, with its meters in {@code registry}. */
    public History(MeterRegistry registry) {
        this(HistorySettings.defaults(), registry);
    }

    /** A history that keeps the metrics {@code settings} names, of every device. */
    public History(HistorySettings settings, MeterRegistry registry) {
        this(true, settings.filter(), Objects.requireNonNull(registry, "registry"));
    }

    /** A history that keeps nothing: its writers drop every sample uncounted, its series are empty. */
    public static History off() {
        return new History(false, displayKey -> false, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /**
     * Whether the device's slot keeps a history: false for a metric {@code history.metrics} leaves
     * out, so a reader can say "not kept" rather than show an empty chart as if nothing came.
     */
    public boolean keeps(DeviceRecord device, int slot) {
        return enabled && filter.keeps(device.slot(slot).displayKey());
    }

    /**
     * The writer for the device's samples, laid out for this record's slots. The first writer of a
     * record that replaced an earlier one (a rebirth) carries over every series whose display key
     * and unit are unchanged. Cheap when the record is unchanged: one map lookup.
     */
    public HistoryWriter writer(DeviceRecord device) {
        if (!enabled) {
            return HistoryWriter.NONE;
        }
        DeviceHistory current = byDevice.get(device.id());
        if (current != null && current.record() == device) {
            return current;
        }
        DeviceHistory[] replaced = new DeviceHistory[1];
        DeviceHistory writer = byDevice.compute(device.id(), (id, previous) -> {
            if (previous != null && previous.record() == device) {
                return previous;
            }
            DeviceHistory fresh = new DeviceHistory(device, this, filter);
            if (previous != null) {
                fresh.takeOver(previous);
                replaced[0] = previous;
            }
            return fresh;
        });
        if (replaced[0] != null) {
            replaced[0].release(); // out of the map now: its rings' bytes can go to another device
        }
        return writer;
    }

    /**
     * The series of one of the device's metrics over {@code range}, up to {@code nowMillis} (the
     * controller's clock): empty when nothing has been kept for it.
     *
     * @param slot a slot of {@code device}
     */
    public HistorySeries series(DeviceRecord device, int slot, HistoryRange range, long nowMillis) {
        String metric = device.slot(slot).displayKey();
        String unit = device.slot(slot).unit();
        while (true) {
            DeviceHistory history = byDevice.get(device.id());
            if (history == null) {
                long resolution = range.resolutionMillis();
                long from = (Math.floorDiv(nowMillis, resolution) - range.buckets() + 1) * resolution;
                return HistorySeries.empty(metric, unit, range, from, nowMillis);
            }
            HistorySeries series = history.read(metric, unit, range, nowMillis);
            if (series != null) {
                return series;
            }
            // Released after we looked it up (a rebirth replaced it, or a prune dropped it), and so
            // already out of the map: look again.
        }
    }

    /** Forgets the devices {@code store} no longer has (their agent's birth dropped them). */
    public void prune(StateStore store) {
        for (Map.Entry<String, DeviceHistory> entry : byDevice.entrySet()) {
            if (store.record(entry.getKey()) == null && byDevice.remove(entry.getKey(), entry.getValue())) {
                entry.getValue().release();
            }
        }
    }

    /** The slabs this history's devices keep their rings in. */
    RingSlabs slabs() {
        return slabs;
    }

    /** Buckets holding a point, over every device, metric and range. */
    public long points() {
        long total = 0;
        for (DeviceHistory history : byDevice.values()) {
            total += history.points();
        }
        return total;
    }

    /** Estimated bytes held: the sum of {@link #bytesPerDevice(int)} over the devices kept. */
    public long bytes() {
        long total = 0;
        for (DeviceHistory history : byDevice.values()) {
            total += history.bytes();
        }
        return total;
    }

    /** Devices with a history. */
    public int devices() {
        return byDevice.size();
    }

    /**
     * What one device with {@code metrics} metrics, all kept, costs, whatever its sample rate: 2 bytes
     * for each of the mean and the max of each bucket (648 buckets per metric: 360 of the hour, 288 of
     * the day), plus 80 bytes of scale, open-bucket sums and slot maps per metric and about 130 bytes
     * per device.
     */
    public static long bytesPerDevice(int metrics) {
        return DeviceHistory.bytesFor(metrics, metrics);
    }

    /** What one device with {@code metrics} metrics costs when {@code kept} of them keep a history. */
    public static long bytesPerDevice(int metrics, int kept) {
        return DeviceHistory.bytesFor(metrics, kept);
    }

    void dropped(DropReason reason) {
        Counter counter = dropped.get(reason);
        if (counter != null) {
            counter.increment();
        }
    }
}
