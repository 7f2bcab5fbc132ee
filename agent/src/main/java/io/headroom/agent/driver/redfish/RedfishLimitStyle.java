package io.headroom.agent.driver.redfish;

import io.headroom.config.ConfigValue;

/** Which Redfish data model carries the chassis power limit. */
public enum RedfishLimitStyle {
    /**
     * A {@code Control} resource ({@code Chassis/{id}/Controls/PowerLimit}, Control.v1_x): PATCH
     * {@code {"SetPoint": W}}; {@code AllowableMin}/{@code AllowableMax} bound it.
     */
    @ConfigValue("control")
    CONTROL,
    /**
     * The deprecated {@code Power} resource: PATCH
     * {@code {"PowerControl": [{"PowerLimit": {"LimitInWatts": W}}]}}; no bounds are published, the
     * profile's range is the only check.
     */
    @ConfigValue("legacy")
    LEGACY
}
