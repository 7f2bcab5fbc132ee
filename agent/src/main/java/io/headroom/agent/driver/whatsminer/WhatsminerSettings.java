package io.headroom.agent.driver.whatsminer;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;

/**
 * A device's {@code whatsminer:} block in {@code agent.yaml}. The admin password (API v2, default
 * {@code admin} on the miner) or the {@code super} account's password (API v3) is the device's common
 * {@code credentials} reference, never written in the file; without it the device is read only.
 *
 * @param host address of the miner
 * @param api which API to speak: v2, v3, or auto (the profile's; with {@code profile: auto} v3 is asked
 *     first, then v2)
 * @param v2Port TCP port of API v2
 * @param v3Port TCP port of API v3
 */
@Doc("MicroBT Whatsminer API v2 (TCP 4028) and v3 (TCP 4433); the write password is the device's credentials.")
public record WhatsminerSettings(
        @Doc("Address of the miner.") String host,

        @Doc("API to speak: v2, v3, or auto (the profile's; with profile auto, v3 is tried first).") @Default("auto")
        WhatsminerApi api,

        @Doc("TCP port of API v2.") @Default("4028") @Range(min = "1", max = "65535")
        int v2Port,

        @Doc("TCP port of API v3.") @Default("4433") @Range(min = "1", max = "65535")
        int v3Port) {

    public WhatsminerSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host: must not be empty");
        }
        java.util.Objects.requireNonNull(api, "api");
    }

    /** The port of an API. */
    public int port(WhatsminerApi which) {
        return which == WhatsminerApi.V3 ? v3Port : v2Port;
    }
}
