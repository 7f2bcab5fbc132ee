package io.headroom.agent.driver.redfish;

import io.headroom.config.Doc;
import java.util.Objects;

/**
 * Where the switched outlets of a Redfish PDU are ({@code points.outlets} of a redfish profile): the
 * {@code Outlet} collection whose members carry {@code PowerState} and the {@code #Outlet.PowerControl}
 * action that {@code outlet-on}, {@code outlet-off} and {@code outlet-cycle} send.
 *
 * @param resource the collection, e.g. {@code PowerEquipment/RackPDUs/{chassis}/Outlets}
 */
public record RedfishOutlets(
        @Doc("The Outlet collection, e.g. PowerEquipment/RackPDUs/{chassis}/Outlets.")
        String resource) {

    public RedfishOutlets {
        Objects.requireNonNull(resource, "resource");
        RedfishPaths.requireResource(resource, "resource");
    }
}
