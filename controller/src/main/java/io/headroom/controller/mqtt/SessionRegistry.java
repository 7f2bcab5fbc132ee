package io.headroom.controller.mqtt;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The sessions of the endpoint by client id, and fan-out of messages to their subscribers.
 * Thread-safe.
 */
final class SessionRegistry {
    private final ConcurrentMap<String, MqttSession> byClientId = new ConcurrentHashMap<>();

    /** Registers {@code session}; returns the session it takes over from, or {@code null}. */
    MqttSession register(MqttSession session) {
        return byClientId.put(session.clientId(), session);
    }

    /** Removes {@code session} unless another session already took its client id. */
    void remove(MqttSession session) {
        byClientId.remove(session.clientId(), session);
    }

    /** Offers {@code message} to every session; returns how many queued it. */
    int route(OutboundMessage message) {
        int queued = 0;
        for (MqttSession session : byClientId.values()) {
            if (session.offer(message)) {
                queued++;
            }
        }
        return queued;
    }

    int connectedAgents() {
        int count = 0;
        for (MqttSession session : byClientId.values()) {
            if (session.role() == Role.AGENT && session.announced() && session.channel().isActive()) {
                count++;
            }
        }
        return count;
    }

    Collection<MqttSession> sessions() {
        return byClientId.values();
    }
}
