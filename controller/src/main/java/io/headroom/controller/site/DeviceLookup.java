package io.headroom.controller.site;

import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceSample;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.StateStore;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where power truth and the control loop read device state from: the state store in the controller,
 * views in tests and tools.
 */
@FunctionalInterface
public interface DeviceLookup {

    /** The device's current state, or null when no agent has reported it. */
    @Nullable
    DeviceSample device(String deviceId);

    /** Reads the live store: one consistent sample per device per call. */
    static DeviceLookup of(StateStore store) {
        return id -> {
            DeviceRecord record = store.record(id);
            return record == null ? null : record.sample();
        };
    }

    /** Reads views (a map of them, a test's fixture): each call samples the view it gets. */
    static DeviceLookup ofViews(Function<String, @Nullable DeviceView> views) {
        return id -> {
            DeviceView view = views.apply(id);
            return view == null ? null : DeviceSample.of(view);
        };
    }
}
