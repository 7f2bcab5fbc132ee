package io.headroom.agent.driver.redfish;

import io.headroom.config.Doc;
import java.util.Objects;

/**
 * How {@code set-power-cap} is sent ({@code points.power-limit} of a redfish profile).
 *
 * @param style {@code control} (Controls/PowerLimit, SetPoint) or {@code legacy} (Power, LimitInWatts)
 * @param resource the resource PATCHed and read back
 */
public record RedfishPowerLimit(
        @Doc("control (Controls/PowerLimit, SetPoint) or legacy (Power, PowerControl[0].PowerLimit.LimitInWatts).")
        RedfishLimitStyle style,

        @Doc("The resource PATCHed and read back, e.g. Chassis/{chassis}/Controls/PowerLimit.")
        String resource) {

    public RedfishPowerLimit {
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(resource, "resource");
        RedfishPaths.requireResource(resource, "resource");
    }

    /** Field path of the limit in the resource. */
    String limitPath() {
        return style == RedfishLimitStyle.CONTROL ? "SetPoint" : "PowerControl[0].PowerLimit.LimitInWatts";
    }
}
