package io.headroom.simulator.cgminer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Answers one API request; called on the server's selector thread, so it must be quick and never block. */
@FunctionalInterface
public interface RpcHandler {
    /**
     * Returns the reply to a raw request text (JSON or {@code cmd|param}). Bad requests are answered with an
     * error {@code STATUS}; this method does not throw.
     */
    ObjectNode handle(String request);
}
