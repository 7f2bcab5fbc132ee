package io.headroom.controller.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The last retained message per topic: the controller's state, and a copy of each connected
 * agent's latest Birth (so an observer that subscribes late can map aliases at once; cleared when
 * the agent's session ends or it publishes its Death). The retain flag on agents' own publishes is
 * ignored. Thread-safe.
 */
final class RetainedMessages {
    private final ConcurrentMap<String, OutboundMessage> byTopic = new ConcurrentHashMap<>();

    /** Keeps {@code message}; an empty payload clears the topic's retained message (MQTT 5 §3.3.1.3). */
    void retain(OutboundMessage message) {
        if (message.payload().length == 0) {
            byTopic.remove(message.topic());
        } else {
            byTopic.put(message.topic(), message);
        }
    }

    /** Forgets the retained message of {@code topic}, if any. */
    void clear(String topic) {
        byTopic.remove(topic);
    }

    /** Retained messages matching {@code filter} that have not expired. */
    List<OutboundMessage> matching(String filter, long nowNanos) {
        List<OutboundMessage> result = new ArrayList<>();
        for (OutboundMessage message : byTopic.values()) {
            if (message.expired(nowNanos)) {
                byTopic.remove(message.topic(), message);
            } else if (TopicFilter.matches(filter, message.topic())) {
                result.add(message);
            }
        }
        return result;
    }
}
