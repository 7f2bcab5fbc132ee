package io.headroom.simulator.cgminer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds request objects for handler tests (so parameters with quotes or control characters stay valid JSON). */
final class JsonSupport {
    private JsonSupport() {}

    static ObjectNode request(String command, String parameter) {
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("command", command);
        if (parameter != null) {
            request.put("parameter", parameter);
        }
        return request;
    }
}
