package io.headroom.agent.driver.redfish;

import io.headroom.config.ConfigValue;

/** How the driver authenticates to the BMC. */
public enum RedfishAuth {
    /**
     * A Redfish session: {@code POST /redfish/v1/SessionService/Sessions} once, then the
     * {@code X-Auth-Token}; made again after a 401, deleted when the driver closes. The password
     * crosses the wire once per session, and the BMC sees one login per session, not per request.
     */
    @ConfigValue("session")
    SESSION,
    /** HTTP basic authentication on every request, for BMCs without a session service. */
    @ConfigValue("basic")
    BASIC
}
