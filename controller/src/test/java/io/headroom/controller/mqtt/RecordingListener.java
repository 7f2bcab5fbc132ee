package io.headroom.controller.mqtt;

import io.headroom.controller.transport.AgentMessageListener;
import io.headroom.protocol.Topic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Records every call of the seam, in order, as short strings. Thread-safe. */
final class RecordingListener implements AgentMessageListener {
    private final List<String> events = new ArrayList<>();
    private final List<byte[]> payloads = new ArrayList<>();
    private volatile Consumer<Topic.AgentTopic> onMessage = topic -> {};

    /** Called after each agent message is recorded, on the endpoint's thread (e.g. to publish an ack as ingest does). */
    void onMessage(Consumer<Topic.AgentTopic> action) {
        onMessage = action;
    }

    @Override
    public synchronized void agentConnected(String agentId) {
        events.add("connected " + agentId);
    }

    @Override
    public synchronized void agentMessage(Topic.AgentTopic topic, ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        payloads.add(bytes);
        events.add("message " + topic.toWire() + " " + new String(bytes, StandardCharsets.UTF_8));
        onMessage.accept(topic);
    }

    @Override
    public synchronized void agentDisconnected(String agentId, boolean graceful) {
        events.add("disconnected " + agentId + (graceful ? " graceful" : " abrupt"));
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    synchronized List<byte[]> payloads() {
        return List.copyOf(payloads);
    }

    /** Events that are agent messages (anything but connected/disconnected). */
    synchronized List<String> messages() {
        return events.stream().filter(e -> e.startsWith("message ")).toList();
    }
}
