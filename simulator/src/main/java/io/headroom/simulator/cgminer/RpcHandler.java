package io.headroom.simulator.cgminer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/** Answers one API request; called on the server's selector thread, so it must be quick and never block. */
@FunctionalInterface
public interface RpcHandler {
    /**
     * Returns the reply to a raw request text (JSON or {@code cmd|param}). Bad requests are answered with an
     * error {@code STATUS}; this method does not throw. Null means: close the connection without a reply (a
     * unit that is restarting, or a firmware that answers some commands with silence).
     */
    @Nullable
    ObjectNode handle(String request);
}
