package io.headroom.agent.driver.whatsminer;

import io.headroom.config.ConfigValue;

/**
 * How an API v2 profile sets a power target. The controller's command is always absolute watts; only the
 * wire value differs.
 */
public enum PowerMethod {
    /** {@code adjust_power_limit} in watts: persistent, but the miner REBOOTS to apply it. */
    @ConfigValue("adjust-power-limit")
    ADJUST_POWER_LIMIT,
    /**
     * {@code set_power_pct} 1–99: a temporary percentage of the nominal limit, no reboot. The driver turns the
     * watts into a percent of the profile's {@code nominal-power-watts}.
     */
    @ConfigValue("set-power-pct")
    SET_POWER_PCT
}
