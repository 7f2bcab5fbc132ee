package io.headroom.controller;

import io.headroom.controller.transport.ControllerPublisher;
import io.headroom.protocol.MalformedPayloadException;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Command;
import java.util.ArrayList;
import java.util.List;

/** A {@link ControllerPublisher} that records what was published and reports a chosen subscriber count. */
public final class RecordingPublisher implements ControllerPublisher {

    /** One recorded publish. */
    public record Published(Topic topic, byte[] payload, boolean retain, int messageExpirySeconds) {}

    private final List<Published> published = new ArrayList<>();
    private volatile int subscribers = 1;

    @Override
    public synchronized int publish(Topic topic, byte[] payload, boolean retain, int messageExpirySeconds) {
        published.add(new Published(topic, payload.clone(), retain, messageExpirySeconds));
        return subscribers;
    }

    public void subscribers(int count) {
        subscribers = count;
    }

    public synchronized List<Published> all() {
        return List.copyOf(published);
    }

    public synchronized void clear() {
        published.clear();
    }

    /** Every Ack published, decoded, in order. */
    public synchronized List<Ack> acks() {
        List<Ack> acks = new ArrayList<>();
        for (Published p : published) {
            if (p.topic() instanceof Topic.AgentTopic t && t.kind() == TopicKind.ACK) {
                acks.add(decode(p.payload(), Ack.class));
            }
        }
        return acks;
    }

    /** The last Ack published; fails if none. */
    public Ack lastAck() {
        List<Ack> acks = acks();
        if (acks.isEmpty()) {
            throw new AssertionError("no ack published");
        }
        return acks.get(acks.size() - 1);
    }

    /** The last Ack published on {@code topic}; fails if none. */
    public synchronized Ack lastAck(Topic topic) {
        Ack last = null;
        for (Published p : published) {
            if (p.topic().equals(topic)) {
                last = decode(p.payload(), Ack.class);
            }
        }
        if (last == null) {
            throw new AssertionError("no ack published on " + topic.toWire());
        }
        return last;
    }

    /** Every Command published, decoded, in order. */
    public synchronized List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        for (Published p : published) {
            if (p.topic() instanceof Topic.AgentTopic t && t.kind() == TopicKind.CMD) {
                commands.add(decode(p.payload(), Command.class));
            }
        }
        return commands;
    }

    private static <T extends com.google.protobuf.Message> T decode(byte[] bytes, Class<T> type) {
        try {
            return WireCodec.decode(bytes, type);
        } catch (MalformedPayloadException e) {
            throw new AssertionError("controller published a malformed " + type.getSimpleName(), e);
        }
    }
}
