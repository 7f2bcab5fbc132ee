package io.headroom.agent.driver.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.Objects;

/**
 * A {@code match:} rule of a redfish profile: the text at {@code path} of {@code resource} contains
 * {@code pattern}. The empty resource is the service root ({@code Vendor}, {@code Product}); a rule on
 * a resource only one data model has ({@code Chassis/{chassis}/Controls/PowerLimit}) tells the modern
 * power model from the legacy one.
 *
 * @param resource resource below {@code /redfish/v1}; empty for the service root
 * @param path field path in it
 * @param pattern regular expression
 */
public record RedfishMatch(
        @Doc("Resource below /redfish/v1; empty for the service root.") @Default("")
        String resource,

        @Doc("Field path in it, e.g. Product or @odata.type.")
        String path,

        @Doc("Regular expression the text there must contain.")
        String pattern) {

    public RedfishMatch {
        Objects.requireNonNull(resource, "resource");
        RedfishPaths.requireResource(resource, "resource");
        new RedfishCondition(path, pattern);
    }

    /** True if {@code root} (the resource's JSON) satisfies the rule. */
    boolean holds(JsonNode root) {
        return new RedfishCondition(path, pattern).holds(root);
    }
}
