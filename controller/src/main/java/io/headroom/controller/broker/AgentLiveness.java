package io.headroom.controller.broker;

import io.headroom.controller.transport.AgentMessageListener;
import io.headroom.protocol.MalformedPayloadException;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Death;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Liveness on a broker, where there are no connection events: an agent is live from a Birth until
 * the Death of the connection that Birth came on. Turns those into the seam's
 * {@link AgentMessageListener#agentConnected} and {@link AgentMessageListener#agentDisconnected}
 * around the messages themselves, so ingest sees what the embedded endpoint would have shown it.
 *
 * <p>A Will can arrive after the Birth of the agent's next connection; it names the old connection
 * ({@code boot_id}, {@code session}), so only the Death of the current connection ends liveness. A
 * malformed Birth or Death changes nothing here: ingest counts and drops it (and asks for a fresh
 * Birth).
 *
 * <p>Called on the transport's one delivery thread, and from {@link #allLost} when the controller's
 * own connection ends.
 */
final class AgentLiveness {

    /** The connection an agent's latest Birth came on. */
    private record Connection(long bootId, long session) {}

    private final AgentMessageListener listener;
    private final Map<String, Connection> live = new ConcurrentHashMap<>();

    AgentLiveness(AgentMessageListener listener) {
        this.listener = listener;
    }

    /** Hands an agent's message to the listener, with the connection events a broker cannot give. */
    void deliver(Topic.AgentTopic topic, ByteBuffer payload) {
        if (topic.kind() == TopicKind.BIRTH) {
            Birth birth = decode(payload, Birth.class);
            if (birth != null && birth.getAgentId().equals(topic.agent())) {
                Connection previous = live.put(topic.agent(), new Connection(birth.getBootId(), birth.getSession()));
                if (previous == null) {
                    listener.agentConnected(topic.agent());
                }
            }
            listener.agentMessage(topic, payload);
            return;
        }
        if (topic.kind() == TopicKind.DEATH) {
            Death death = decode(payload, Death.class);
            listener.agentMessage(topic, payload);
            Connection current = live.get(topic.agent());
            if (death != null
                    && current != null
                    && death.getBootId() == current.bootId()
                    && death.getSession() == current.session()
                    && live.remove(topic.agent(), current)) {
                listener.agentDisconnected(topic.agent(), !death.getReason().isEmpty());
            }
            return;
        }
        listener.agentMessage(topic, payload);
    }

    /**
     * The controller lost its own connection: from its side every agent is gone (Deaths published
     * meanwhile never reach it), as every agent is when the embedded endpoint stops. Each comes back
     * with its next Birth, which ingest asks for on the first Data it gets.
     */
    void allLost() {
        for (String agent : List.copyOf(live.keySet())) {
            if (live.remove(agent) != null) {
                listener.agentDisconnected(agent, false);
            }
        }
    }

    /** Agents live now. */
    int liveAgents() {
        return live.size();
    }

    private static <T extends com.google.protobuf.Message> @Nullable T decode(ByteBuffer payload, Class<T> type) {
        try {
            return WireCodec.decode(payload.duplicate(), type);
        } catch (MalformedPayloadException e) {
            return null;
        }
    }
}
