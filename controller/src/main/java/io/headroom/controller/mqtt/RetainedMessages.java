package io.headroom.controller.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The last retained message per topic. Only the controller publishes retained messages (its state
 * topic); the retain flag on agents' publishes is ignored. Thread-safe.
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
