package io.headroom.agent.publish;

import io.headroom.agent.driver.DeviceIdentity;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.schedule.PollListener;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.DeviceStatus;
import io.headroom.protocol.wire.Quality;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest reading of every metric of every device, and each device's health, between polls
 * and batches. Polls write (scheduler threads); the publisher drains changes into {@code Data}
 * (its own thread). While the agent is disconnected readings keep overwriting each other, so the
 * first batch after a reconnect carries the latest values, not a backlog.
 */
public final class TelemetryBuffer implements PollListener {

    private final Map<String, DeviceSlot> devices = new LinkedHashMap<>();

    public TelemetryBuffer(List<String> deviceIds) {
        for (String id : deviceIds) {
            devices.put(id, new DeviceSlot());
        }
    }

    @Override
    public void polled(String deviceId, PollResult result) {
        DeviceSlot slot = devices.get(deviceId);
        if (slot == null) {
            return; // Not configured here; the scheduler only polls configured devices.
        }
        long at = result.at().toEpochMilli();
        synchronized (slot) {
            if (result.identity() != null) {
                slot.identity = result.identity();
            }
            if (slot.health != result.health() || !slot.reason.equals(result.reason())) {
                slot.statusChanged = true;
            }
            slot.health = result.health();
            slot.reason = result.reason();
            slot.message = result.message();
            for (Reading reading : result.readings()) {
                String key = MetricDictionary.displayKey(reading.metric(), reading.instance());
                LatestReading latest = slot.readings.get(key);
                if (latest == null) {
                    slot.readings.put(key, new LatestReading(reading, at));
                } else {
                    latest.update(reading, at);
                }
            }
        }
    }

    /** The identity the device last reported, or {@code null} before its first successful poll. */
    DeviceIdentity identity(String deviceId) {
        DeviceSlot slot = devices.get(deviceId);
        synchronized (slot) {
            return slot.identity;
        }
    }

    /**
     * How many devices are in each health state after their last poll, in {@link DeviceHealth}
     * order; devices not polled yet count under {@code DEVICE_HEALTH_UNSPECIFIED}.
     */
    public Map<DeviceHealth, Integer> healthCounts() {
        Map<DeviceHealth, Integer> counts = new EnumMap<>(DeviceHealth.class);
        for (DeviceSlot slot : devices.values()) {
            DeviceHealth health;
            synchronized (slot) {
                health = slot.health;
            }
            counts.merge(health, 1, Integer::sum);
        }
        return counts;
    }

    /** True once every device has finished its first poll, whatever its outcome. */
    boolean allPolled() {
        for (DeviceSlot slot : devices.values()) {
            synchronized (slot) {
                if (slot.health == DeviceHealth.DEVICE_HEALTH_UNSPECIFIED) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Gives an alias to every metric instance read so far, so that a Birth declares all of them,
     * including readings not yet drained into a batch.
     */
    void declareAll(AliasRegistry aliases) {
        for (Map.Entry<String, DeviceSlot> device : devices.entrySet()) {
            DeviceSlot slot = device.getValue();
            synchronized (slot) {
                for (LatestReading latest : slot.readings.values()) {
                    aliases.aliasOf(device.getKey(), latest.metric, latest.instance);
                }
            }
        }
    }

    /**
     * Moves the readings that changed since the last drain into {@code batch}, assigning aliases
     * through {@code aliases} for metrics seen for the first time. Columns that say nothing are
     * left out (schema: no offsets = all at {@code timestamp_ms}, no qualities = all GOOD).
     *
     * @param everyReading include every reading, changed or not (periodic full refresh)
     * @return the number of samples added
     */
    int drainReadings(Data.Builder batch, AliasRegistry aliases, boolean everyReading) {
        long base = batch.getTimestampMs();
        int added = 0;
        boolean anyOffset = false;
        boolean anyNotGood = false;
        for (Map.Entry<String, DeviceSlot> device : devices.entrySet()) {
            DeviceSlot slot = device.getValue();
            synchronized (slot) {
                for (LatestReading latest : slot.readings.values()) {
                    if (!everyReading && !latest.changed) {
                        continue;
                    }
                    latest.changed = false;
                    batch.addAlias(aliases.aliasOf(device.getKey(), latest.metric, latest.instance));
                    batch.addValue(latest.value);
                    long offset = Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, latest.atMillis - base));
                    batch.addOffsetMs((int) offset);
                    batch.addQuality(latest.quality);
                    anyOffset |= offset != 0;
                    anyNotGood |= latest.quality != Quality.QUALITY_GOOD;
                    added++;
                }
            }
        }
        if (!anyOffset) {
            batch.clearOffsetMs();
        }
        if (!anyNotGood) {
            batch.clearQuality();
        }
        return added;
    }

    /**
     * Adds the status of every device whose health or reason changed since the last call, or of
     * every polled device when {@code everyStatus} (first batch after a Birth, full refresh).
     *
     * @return the number of statuses added
     */
    int drainStatuses(Data.Builder batch, boolean everyStatus) {
        int added = 0;
        for (Map.Entry<String, DeviceSlot> device : devices.entrySet()) {
            DeviceSlot slot = device.getValue();
            synchronized (slot) {
                if (slot.health != DeviceHealth.DEVICE_HEALTH_UNSPECIFIED && (everyStatus || slot.statusChanged)) {
                    batch.addStatus(DeviceStatus.newBuilder()
                            .setDeviceId(device.getKey())
                            .setHealth(slot.health)
                            .setReason(slot.reason)
                            .setMessage(slot.message));
                    slot.statusChanged = false;
                    added++;
                }
            }
        }
        return added;
    }

    /** Readings, then statuses: {@link #drainReadings} and {@link #drainStatuses} in one call. */
    int drainInto(Data.Builder batch, AliasRegistry aliases, boolean everyReading, boolean everyStatus) {
        return drainReadings(batch, aliases, everyReading) + drainStatuses(batch, everyStatus);
    }

    /** One device between batches; guarded by its own monitor. */
    private static final class DeviceSlot {
        final Map<String, LatestReading> readings = new LinkedHashMap<>();
        DeviceHealth health = DeviceHealth.DEVICE_HEALTH_UNSPECIFIED;
        String reason = "";
        String message = "";
        boolean statusChanged;
        DeviceIdentity identity;
    }

    /** The newest reading of one metric instance. */
    private static final class LatestReading {
        final String metric;
        final String instance;
        double value;
        Quality quality;
        long atMillis;
        boolean changed = true;

        LatestReading(Reading reading, long atMillis) {
            this.metric = reading.metric();
            this.instance = reading.instance();
            this.value = reading.value();
            this.quality = reading.quality();
            this.atMillis = atMillis;
        }

        void update(Reading reading, long at) {
            // Report by exception: a repeat of the same value is not news (the full refresh
            // re-sends it), a new value or a new quality is.
            if (Double.compare(value, reading.value()) != 0 || quality != reading.quality()) {
                changed = true;
            }
            value = reading.value();
            quality = reading.quality();
            atMillis = at;
        }
    }
}
