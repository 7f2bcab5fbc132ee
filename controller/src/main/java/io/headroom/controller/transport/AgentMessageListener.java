package io.headroom.controller.transport;

import io.headroom.protocol.Topic;
import java.nio.ByteBuffer;

/**
 * Receives what agents publish, after the transport has authenticated the agent and checked that
 * the topic is one of its own. Implemented by ingest.
 *
 * <p>Called on transport I/O threads, concurrently for different agents and in publish order for
 * one agent. Implementations must not block and must not throw; a malformed payload is theirs to
 * count and drop.
 */
public interface AgentMessageListener {

    /** An agent's connection was accepted; its Birth is expected next. */
    void agentConnected(String agentId);

    /**
     * A message published by an agent on one of its own topics ({@code birth}, {@code data},
     * {@code result}, {@code death}), including a Will the transport published on the agent's
     * behalf. {@code payload} is only valid during the call.
     */
    void agentMessage(Topic.AgentTopic topic, ByteBuffer payload);

    /**
     * The agent's connection ended. Called after its Will, if one was due, was delivered through
     * {@link #agentMessage}. {@code graceful} is true for a DISCONNECT with a normal reason.
     */
    void agentDisconnected(String agentId, boolean graceful);
}
