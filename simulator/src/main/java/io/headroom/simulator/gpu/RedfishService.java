package io.headroom.simulator.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a simulated Redfish service holds, behind {@link SimulatedRedfishServer}'s HTTPS, sessions and
 * quirks: a GPU server's BMC ({@link GpuRedfishService}), a rack PDU or a cooling unit. The server
 * authenticates every request but the service root and the login before it asks; each method runs on
 * one of the server's threads, so an implementation guards its model.
 */
public interface RedfishService {

    /** Brings the simulated device to {@code now}; called before each answer. */
    void advanceTo(Instant now);

    /** The resource at a path (no trailing slash), or null for a 404. */
    @Nullable
    ObjectNode get(String path);

    /**
     * A PATCH of a resource or a POST to an action's target, with the request's JSON object.
     *
     * @param method {@code PATCH} or {@code POST}
     */
    Write write(String method, String path, JsonNode body);

    /**
     * The answer to a write: {@code status} 200 with the resource, 204 without a body, or an error
     * status with a Redfish message id and text (sent as the standard error body).
     */
    record Write(int status, @Nullable ObjectNode body, String messageId, String message) {

        public static Write ok(ObjectNode body) {
            return new Write(200, body, "", "");
        }

        public static Write noContent() {
            return new Write(204, null, "", "");
        }

        public static Write error(int status, String messageId, String message) {
            return new Write(status, null, messageId, message);
        }

        /** Not allowed on this path (405). */
        public static Write notAllowed(String method, String path) {
            return error(405, "Base.1.8.OperationNotAllowed", method + " is not allowed on " + path);
        }
    }
}
