package io.headroom.agent.driver.redfish;

import io.headroom.config.ConfigValue;

/** The URL scheme of the BMC. Redfish requires HTTPS; plain HTTP exists for lab setups only. */
public enum RedfishScheme {
    @ConfigValue("https")
    HTTPS("https"),
    @ConfigValue("http")
    HTTP("http");

    private final String spelt;

    RedfishScheme(String spelt) {
        this.spelt = spelt;
    }

    /** As written in a URL. */
    public String spelt() {
        return spelt;
    }
}
