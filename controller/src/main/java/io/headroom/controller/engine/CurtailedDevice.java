package io.headroom.controller.engine;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A device the engine holds curtailed, as of its latest tick: an immutable copy of its {@link
 * DeviceControl} for readers outside the engine loop (the API's triage flags).
 *
 * @param deviceId the device
 * @param curtailment how far: capped, asleep or its outlet off; never {@link Curtailment#NONE}
 * @param cappedW the power target it is held at while {@link Curtailment#CAPPED}, W; NaN otherwise
 * @param eventId the grid event (or {@code rsv-} reservation) it was curtailed for; null for a
 *     limit of the site tree or a market strike
 * @param since when the engine first curtailed it; null when not known (restored from an old journal)
 */
public record CurtailedDevice(
        String deviceId,
        Curtailment curtailment,
        double cappedW,
        @Nullable String eventId,
        @Nullable Instant since) {

    public CurtailedDevice {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(curtailment, "curtailment");
        if (curtailment == Curtailment.NONE) {
            throw new IllegalArgumentException("curtailment: a curtailed device is not NONE (" + deviceId + ")");
        }
    }

    static CurtailedDevice of(DeviceControl control) {
        return new CurtailedDevice(
                control.deviceId,
                control.curtailment,
                control.curtailment == Curtailment.CAPPED ? control.cappedW : Double.NaN,
                control.eventId,
                control.curtailedAtMillis == DeviceControl.NEVER
                        ? null
                        : Instant.ofEpochMilli(control.curtailedAtMillis));
    }
}
