package io.headroom.controller.triage;

import io.headroom.controller.engine.CurtailedDevice;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Where the triage takes what is not in a device's own state: the site's hot threshold and what the
 * engine holds curtailed. Long-lived and thread-safe; {@link #now()} gives one consistent judge for a
 * request, so a listing over 100,000 devices reads the engine's snapshot once.
 */
public final class TriageRules {

    /** The alerts' default {@code device-hot-c}, for a controller that evaluates no alerts. */
    static final double DEFAULT_HOT_C = io.headroom.controller.alert.AlertSettings.DEFAULTS.deviceHotC();

    private final DoubleSupplier hotC;
    private final Supplier<Map<String, CurtailedDevice>> curtailments;

    /**
     * @param hotC the hottest-chip temperature at which a device is hot, in °C (the alert's)
     * @param curtailments what the engine holds curtailed now; empty without an engine
     */
    public TriageRules(DoubleSupplier hotC, Supplier<Map<String, CurtailedDevice>> curtailments) {
        this.hotC = Objects.requireNonNull(hotC, "hotC");
        this.curtailments = Objects.requireNonNull(curtailments, "curtailments");
    }

    /** Rules without a control engine, at the default hot threshold. */
    public static TriageRules standalone() {
        return new TriageRules(() -> DEFAULT_HOT_C, Map::of);
    }

    /** A judge over the threshold and the engine's curtailments as they are now. */
    public DeviceTriage now() {
        return new DeviceTriage(hotC.getAsDouble(), curtailments.get());
    }
}
