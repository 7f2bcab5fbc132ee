package io.headroom.controller.site;

import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.StateStore;
import org.jspecify.annotations.Nullable;

/**
 * Where power truth reads device state from: the state store in the controller, a map of views in
 * tests and benchmarks.
 */
@FunctionalInterface
public interface DeviceLookup {

    /** The device's current state, or null when no agent has reported it. */
    @Nullable
    DeviceView device(String deviceId);

    /** Reads the live store: one consistent copy per device per call. */
    static DeviceLookup of(StateStore store) {
        return id -> {
            DeviceRecord record = store.record(id);
            return record == null ? null : record.view();
        };
    }
}
