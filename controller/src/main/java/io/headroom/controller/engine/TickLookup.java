package io.headroom.controller.engine;

import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.store.DeviceView;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One tick's device state: each device is read from the store (one consistent copy) at most once,
 * however many of power truth, device facts and the engine ask for it, so every part of a tick
 * sees the same reading.
 */
final class TickLookup implements DeviceLookup {

    private final DeviceLookup source;
    private final Map<String, @Nullable DeviceView> seen;

    TickLookup(DeviceLookup source, int expected) {
        this.source = source;
        this.seen = new HashMap<>(Math.max(16, expected * 4 / 3 + 1));
    }

    @Override
    public @Nullable DeviceView device(String deviceId) {
        if (seen.containsKey(deviceId)) {
            return seen.get(deviceId);
        }
        DeviceView view = source.device(deviceId);
        seen.put(deviceId, view);
        return view;
    }
}
