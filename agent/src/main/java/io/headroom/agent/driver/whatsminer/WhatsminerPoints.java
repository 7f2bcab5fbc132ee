package io.headroom.agent.driver.whatsminer;

import io.headroom.config.Default;
import io.headroom.config.Doc;

/**
 * The {@code points:} section of a whatsminer profile. What a poll reads and what each verb sends are
 * coded in the driver per API (docs/drivers/whatsminer.md); the profile picks the API and, for v2, how a
 * power target is set.
 *
 * @param api v2 or v3
 * @param powerMethod v2: {@code adjust-power-limit} (watts, the miner reboots) or {@code set-power-pct}
 * @param nominalPowerWatts the 100 % of {@code set-power-pct}; required with it
 */
public record WhatsminerPoints(
        @Doc("API of this firmware: v2 or v3.") WhatsminerApi api,

        @Doc("v2: adjust-power-limit (watts; the miner reboots) or set-power-pct (percent of nominal-power-watts).")
        @Default("adjust-power-limit")
        PowerMethod powerMethod,

        @Doc("Nominal power limit, W: 100 % for set-power-pct.") @Default("0")
        double nominalPowerWatts) {

    public WhatsminerPoints {
        java.util.Objects.requireNonNull(api, "api");
        if (api == WhatsminerApi.AUTO) {
            throw new IllegalArgumentException("api: a profile speaks v2 or v3, not auto");
        }
        if (powerMethod == PowerMethod.SET_POWER_PCT) {
            if (api != WhatsminerApi.V2) {
                throw new IllegalArgumentException("power-method: set-power-pct is an API v2 command");
            }
            if (!(nominalPowerWatts > 0) || !Double.isFinite(nominalPowerWatts)) {
                throw new IllegalArgumentException(
                        "nominal-power-watts: required (> 0) with power-method set-power-pct");
            }
        }
    }
}
