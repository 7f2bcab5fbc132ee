package io.headroom.agent.publish;

import com.google.protobuf.Message;
import io.headroom.agent.publish.outbox.Outbox;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Data;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * What goes on the wire next over one connection, and how much of it may be unacknowledged: the
 * send queue (a Birth waiting for a slot), the in-flight window, and the replay cursor through the
 * {@link Outbox}. Every Data and Result is sent from the outbox through this one cursor, in the
 * order it was kept; records kept before the connection's Birth are flagged historical.
 *
 * <p>Kept apart from {@link MqttPublisher} because flow control and replay order are one concept
 * with their own invariants (the cursor starts over at each Birth, a refused publish for lack of
 * a slot is retried, never lost), while the publisher owns the connection's life. Not thread-safe:
 * only the publisher's thread uses it.
 */
final class SendWindow {
    /**
     * Our own cap on unacknowledged PUBLISHes; the broker's Receive Maximum (CONNACK) may lower it
     * (mosquitto's default is 20), and Paho refuses a publish beyond that.
     */
    static final int MAX_IN_FLIGHT = 32;

    /** Sends one message on the current connection, QoS 1. */
    interface Sender {
        void publish(TopicKind kind, byte[] payload) throws MqttException;
    }

    private final Outbox outbox;
    private final ArrayDeque<Outgoing> sendQueue = new ArrayDeque<>();
    private final Map<TopicKind, Counter> published = new EnumMap<>(TopicKind.class);
    private int inFlight;
    /** The in-flight window of the current connection: ours, capped by the broker's Receive Maximum. */
    private int inFlightLimit = MAX_IN_FLIGHT;
    /** Ordinal of the last outbox record put in the send queue on this connection. */
    private long replayCursor;
    /** Records up to this ordinal were kept before the current Birth: they go out as history. */
    private long replayMark;

    SendWindow(Outbox outbox, MeterRegistry registry) {
        this.outbox = outbox;
        for (TopicKind kind : TopicKind.values()) {
            if (kind.direction() == TopicKind.Direction.FROM_AGENT) {
                published.put(
                        kind,
                        Counter.builder("headroom.agent.messages.published")
                                .tag("kind", kind.wireName())
                                .register(registry));
            }
        }
    }

    /** A connection was accepted with this Receive Maximum (null: absent in the CONNACK). */
    void connected(Integer receiveMaximum) {
        // MQTT 5 §3.2.2.3.3: absent means 65,535.
        inFlightLimit = receiveMaximum == null ? MAX_IN_FLIGHT : Math.max(1, Math.min(MAX_IN_FLIGHT, receiveMaximum));
    }

    /**
     * A Birth is about to go out: records already taken from the outbox come again, after it,
     * oldest first; what the outbox holds now goes out as history.
     */
    void restartReplay() {
        sendQueue.clear();
        replayCursor = 0;
        replayMark = outbox.lastOrdinal();
    }

    /** The connection is gone: forget what was queued (the outbox keeps it). */
    void clear() {
        sendQueue.clear();
        inFlight = 0;
    }

    /** Queues a message that is not kept in the outbox (a Birth). */
    void add(TopicKind kind, Message message) {
        sendQueue.addLast(new Outgoing(kind, WireCodec.encode(message)));
    }

    /** A PUBACK (or a failed delivery) freed a slot. */
    void delivered() {
        inFlight = Math.max(0, inFlight - 1);
    }

    /**
     * Sends while there is a free slot and something to send.
     *
     * @throws MqttException if the connection refused a publish for another reason than flow
     *     control; the caller treats the connection as lost
     */
    void pump(Sender sender) throws MqttException {
        while (inFlight < inFlightLimit && (!sendQueue.isEmpty() || pullFromOutbox())) {
            Outgoing next = sendQueue.pollFirst();
            inFlight++;
            try {
                sender.publish(next.kind(), next.payload());
                published.get(next.kind()).increment();
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    // Flow control, not a lost connection: retry when the next PUBACK frees a slot.
                    inFlight--;
                    sendQueue.addFirst(next);
                    return;
                }
                throw e;
            }
        }
    }

    /**
     * The next records of the outbox after the cursor, as they go on the wire: what was kept before
     * this connection's Birth is history, which the controller records but never controls on.
     */
    private boolean pullFromOutbox() {
        List<Outbox.Entry> entries = outbox.after(replayCursor, MAX_IN_FLIGHT);
        for (Outbox.Entry entry : entries) {
            replayCursor = entry.ordinal();
            Message message = entry.message();
            if (message instanceof Data data) {
                Data wire = entry.ordinal() <= replayMark && !data.getHistorical()
                        ? data.toBuilder().setHistorical(true).build()
                        : data;
                sendQueue.addLast(new Outgoing(TopicKind.DATA, WireCodec.encode(wire)));
            } else {
                sendQueue.addLast(new Outgoing(TopicKind.RESULT, WireCodec.encode(message)));
            }
        }
        return !entries.isEmpty();
    }

    /** A message waiting for a free in-flight slot. */
    private record Outgoing(TopicKind kind, byte[] payload) {}
}
