package io.headroom.simulator.redfish;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Small builders of Redfish JSON shared by the simulated PDU and CDU. */
final class RedfishNodes {

    static final String ROOT = "/redfish/v1";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private RedfishNodes() {}

    static ObjectNode resource(String type, String path) {
        ObjectNode node = JSON.objectNode();
        node.put("@odata.type", type);
        node.put("@odata.id", path);
        return node;
    }

    static ObjectNode collection(String type, String path, List<String> members) {
        ObjectNode node = resource(type, path);
        node.put("Members@odata.count", members.size());
        members.forEach(m -> node.withArray("Members").addObject().put("@odata.id", m));
        return node;
    }

    /** A service root naming the simulator as vendor and product (the driver's identity). */
    static ObjectNode root(String product, String equipment) {
        ObjectNode root = resource("#ServiceRoot.v1_15_0.ServiceRoot", ROOT);
        root.put("Id", "RootService");
        root.put("Name", "Root Service");
        root.put("RedfishVersion", "1.15.0");
        root.put("Vendor", "Headroom");
        root.put("Product", product);
        root.putObject(equipment).put("@odata.id", ROOT + "/" + equipment);
        root.putObject("SessionService").put("@odata.id", ROOT + "/SessionService");
        root.putObject("Links").putObject("Sessions").put("@odata.id", ROOT + "/SessionService/Sessions");
        return root;
    }

    /** {@code {"Reading": value}} at {@code name}, rounded to 0.01. */
    static void reading(ObjectNode node, String name, double value) {
        node.putObject(name).put("Reading", Math.round(value * 100) / 100.0);
    }

    static void status(ObjectNode node, String state, String health) {
        ObjectNode status = node.putObject("Status");
        status.put("State", state);
        status.put("Health", health);
    }
}
