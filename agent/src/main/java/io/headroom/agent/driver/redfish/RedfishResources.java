package io.headroom.agent.driver.redfish;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads Redfish resources by their absolute path ({@code /redfish/v1/Chassis/1U/Power}). Over HTTPS it
 * is {@link RedfishClient}; golden cases answer from a mockup folder, so that a poll's logic runs the
 * same without a socket.
 */
interface RedfishResources {

    /**
     * The resource's JSON object.
     *
     * @throws RedfishFault when it cannot be read (not found, garbage, the BMC not answering)
     */
    JsonNode get(String path) throws RedfishFault, InterruptedException;
}
