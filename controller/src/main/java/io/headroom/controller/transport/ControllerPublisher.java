package io.headroom.controller.transport;

import io.headroom.protocol.Topic;

/**
 * Publishes controller messages ({@code cmd}, {@code ack}, the retained {@code state}) to whoever
 * is subscribed. Thread-safe; never blocks: delivery happens on the transport's own threads.
 */
public interface ControllerPublisher {

    /**
     * Publishes at QoS 1.
     *
     * @param retain keep as the topic's retained message (only the controller state is retained)
     * @param messageExpirySeconds MQTT 5 message expiry interval; 0 for none
     * @return the number of subscribed clients it was queued for (0 when nobody listens)
     */
    int publish(Topic topic, byte[] payload, boolean retain, int messageExpirySeconds);
}
