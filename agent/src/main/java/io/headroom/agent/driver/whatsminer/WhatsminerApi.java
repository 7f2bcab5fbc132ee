package io.headroom.agent.driver.whatsminer;

import io.headroom.config.ConfigValue;

/** Which Whatsminer API a device speaks: v2 (TCP 4028, firmware up to 2024.11), v3 (TCP 4433, later). */
public enum WhatsminerApi {
    @ConfigValue("v2")
    V2,
    @ConfigValue("v3")
    V3,
    /** Settings only: whichever the device's profile speaks; with {@code profile: auto}, v3 is asked first. */
    @ConfigValue("auto")
    AUTO;

    /** The spelling in config files and messages. */
    public String spelling() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
