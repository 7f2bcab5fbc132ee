package io.headroom.controller.mqtt;

import io.headroom.protocol.Topic;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The sessions of the endpoint by client id, and fan-out of messages to their subscribers.
 * Thread-safe.
 */
final class SessionRegistry {
    private final ConcurrentMap<String, MqttSession> byClientId = new ConcurrentHashMap<>();
    private final Set<MqttSession> observers = ConcurrentHashMap.newKeySet();

    /**
     * Outcome of {@link #claim}: {@code refused} when another principal holds the client id (then
     * {@code previous} is that holder), else the session taken over from, or {@code null}.
     */
    record Claim(MqttSession previous, boolean refused) {}

    /**
     * Registers {@code session} unless its client id is held by a session of another principal:
     * a client id is bound to its principal, so only the same username may take it over.
     */
    Claim claim(MqttSession session) {
        MqttSession[] previous = new MqttSession[1];
        boolean[] refused = new boolean[1];
        byClientId.compute(session.clientId(), (id, existing) -> {
            previous[0] = existing;
            if (existing != null && !existing.username().equals(session.username())) {
                refused[0] = true;
                return existing;
            }
            return session;
        });
        if (refused[0]) {
            return new Claim(previous[0], true);
        }
        if (session.role() == Role.OBSERVER) {
            observers.add(session);
        }
        if (previous[0] != null) {
            observers.remove(previous[0]);
        }
        return new Claim(previous[0], false);
    }

    /** The session holding {@code clientId}, or {@code null}. */
    MqttSession get(String clientId) {
        return clientId == null ? null : byClientId.get(clientId);
    }

    /** Registers {@code session}; returns the session it takes over from, or {@code null}. */
    MqttSession register(MqttSession session) {
        if (session.role() == Role.OBSERVER) {
            observers.add(session);
        }
        MqttSession previous = byClientId.put(session.clientId(), session);
        if (previous != null) {
            observers.remove(previous);
        }
        return previous;
    }

    /** Removes {@code session} unless another session already took its client id. */
    void remove(MqttSession session) {
        observers.remove(session);
        byClientId.remove(session.clientId(), session);
    }

    /**
     * Offers {@code message}, published on {@code topic}, to every session that may be subscribed
     * to it; returns how many queued it.
     *
     * <p>The ACL lets an agent subscribe only to its own {@code cmd} and {@code ack} topics and the
     * controller state, and an agent's client id is its agent id. So a message on an agent topic
     * can reach only that agent's session and the observers: routing it costs O(observers), not
     * O(connections), which matters because every ack and every forwarded Data goes through here.
     */
    int route(Topic topic, OutboundMessage message) {
        if (!(topic instanceof Topic.AgentTopic agentTopic)) {
            return offerAll(byClientId.values(), message);
        }
        int queued = 0;
        MqttSession agent = byClientId.get(agentTopic.agent());
        if (agent != null && agent.role() == Role.AGENT && agent.offer(message)) {
            queued++;
        }
        return queued + offerAll(observers, message);
    }

    /**
     * True if some session may take a message on {@code topic} (wire form {@code wire}): lets the
     * publish path skip copying a payload nobody will receive (issue 9). Same reach as
     * {@link #route}: the agent itself and the observers.
     */
    boolean anySubscriber(Topic.AgentTopic topic, String wire) {
        MqttSession agent = byClientId.get(topic.agent());
        if (agent != null && agent.role() == Role.AGENT && agent.deliveryQos(wire, 1) >= 0) {
            return true;
        }
        for (MqttSession observer : observers) {
            if (observer.deliveryQos(wire, 1) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Offers {@code message} to the observers only (a grid signal: no agent may subscribe to it). */
    int routeToObservers(OutboundMessage message) {
        return offerAll(observers, message);
    }

    private static int offerAll(Collection<MqttSession> sessions, OutboundMessage message) {
        int queued = 0;
        for (MqttSession session : sessions) {
            if (session.offer(message)) {
                queued++;
            }
        }
        return queued;
    }

    int connectedAgents() {
        int count = 0;
        for (MqttSession session : byClientId.values()) {
            if (session.role() == Role.AGENT
                    && session.announced()
                    && session.channel().isActive()) {
                count++;
            }
        }
        return count;
    }

    Collection<MqttSession> sessions() {
        return byClientId.values();
    }
}
