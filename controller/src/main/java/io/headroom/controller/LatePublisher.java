package io.headroom.controller;

import io.headroom.controller.transport.ControllerPublisher;
import io.headroom.protocol.Topic;

/**
 * Ingest and commands need a publisher before the endpoint that is one exists: this one forwards
 * to {@link #target} once the controller has set it, and publishes to nobody (0) until then.
 */
final class LatePublisher implements ControllerPublisher {
    volatile ControllerPublisher target;

    @Override
    public int publish(Topic topic, byte[] payload, boolean retain, int messageExpirySeconds) {
        ControllerPublisher current = target;
        return current == null ? 0 : current.publish(topic, payload, retain, messageExpirySeconds);
    }
}
