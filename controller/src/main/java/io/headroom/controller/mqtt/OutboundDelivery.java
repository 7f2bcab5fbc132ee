package io.headroom.controller.mqtt;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Sends PUBLISH packets to one client, with flow control. Confined to the client's event loop.
 *
 * <p>QoS 1 messages take a packet id and stay in flight until the client's PUBACK; at most the
 * client's Receive Maximum are in flight (MQTT 5 §4.9). Beyond that, and while the channel is not
 * writable, messages wait in a bounded queue; when it is full the oldest is dropped and counted.
 * A message whose expiry passed while it waited is dropped and counted; one that is sent carries
 * the time it has left (§3.3.2.3.3). Nothing is retransmitted: sessions are clean, so in-flight
 * messages die with the connection.
 *
 * <p>During a read batch of the same connection ({@link #holdFlush()} until {@link #releaseFlush()})
 * writes are not flushed: the session handler flushes once at the batch's end, so a PUBACK and the
 * application ack it caused leave in one write.
 */
final class OutboundDelivery {
    static final int QUEUE_CAPACITY = 1000;

    private record Pending(OutboundMessage message, int qos, boolean retain) {}

    private final Channel channel;
    private final boolean v5;
    private final int receiveMaximum;
    private final long clientMaximumPacketSize;
    private final MqttMetrics metrics;
    private final LongSupplier nanoTime;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Set<Integer> inFlight = new HashSet<>();
    private int lastPacketId;
    private boolean flushHeld;

    OutboundDelivery(
            Channel channel,
            MqttVersion version,
            int receiveMaximum,
            long clientMaximumPacketSize,
            MqttMetrics metrics,
            LongSupplier nanoTime) {
        this.channel = channel;
        this.v5 = version == MqttVersion.MQTT_5;
        this.receiveMaximum = receiveMaximum;
        this.clientMaximumPacketSize = clientMaximumPacketSize;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
    }

    void enqueue(OutboundMessage message, int qos, boolean retain) {
        add(message, qos, retain);
        drain();
    }

    /** Queues without sending; the caller {@link #drain()}s once after a batch of these. */
    void add(OutboundMessage message, int qos, boolean retain) {
        if (queue.size() >= QUEUE_CAPACITY) {
            queue.pollFirst();
            metrics.dropped(MqttMetrics.Drop.QUEUE_FULL);
        }
        queue.addLast(new Pending(message, qos, retain));
    }

    /** A PUBACK: frees the packet id and the in-flight slot. Unknown ids are ignored. */
    void acknowledge(int packetId) {
        if (inFlight.remove(packetId)) {
            drain();
        }
    }

    /** A read batch began: writes wait for the batch's end to be flushed. */
    void holdFlush() {
        flushHeld = true;
    }

    /** The read batch ended; the caller flushes. */
    void releaseFlush() {
        flushHeld = false;
    }

    void drain() {
        boolean wrote = false;
        while (!queue.isEmpty() && channel.isActive() && channel.isWritable()) {
            Pending next = queue.peekFirst();
            if (next.qos() > 0 && inFlight.size() >= receiveMaximum) {
                break;
            }
            queue.pollFirst();
            long now = nanoTime.getAsLong();
            OutboundMessage message = next.message();
            if (message.expired(now)) {
                metrics.dropped(MqttMetrics.Drop.EXPIRED);
                continue;
            }
            if (estimatedSize(message) > clientMaximumPacketSize) {
                // MQTT 5 §3.1.2.11.4: a packet over the client's Maximum Packet Size is discarded.
                metrics.dropped(MqttMetrics.Drop.TOO_LARGE_FOR_CLIENT);
                continue;
            }
            channel.write(publish(next, now), channel.voidPromise());
            metrics.sent();
            wrote = true;
        }
        if (wrote && !flushHeld) {
            channel.flush();
        }
    }

    /** Forgets everything queued and in flight; the connection is gone. What was queued is counted as dropped. */
    void discard() {
        if (!queue.isEmpty()) {
            metrics.dropped(MqttMetrics.Drop.CONNECTION_CLOSED, queue.size());
        }
        queue.clear();
        inFlight.clear();
    }

    int queued() {
        return queue.size();
    }

    int inFlight() {
        return inFlight.size();
    }

    private MqttPublishMessage publish(Pending pending, long now) {
        OutboundMessage message = pending.message();
        MqttProperties properties = new MqttProperties();
        if (v5 && message.expires()) {
            properties.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int)
                    Math.min(Integer.MAX_VALUE, message.remainingSeconds(now))));
        }
        MqttMessageBuilders.PublishBuilder builder = MqttMessageBuilders.publish()
                .topicName(message.topic())
                .qos(MqttQoS.valueOf(pending.qos()))
                .retained(pending.retain())
                .payload(Unpooled.wrappedBuffer(message.payload()))
                .properties(properties);
        if (pending.qos() > 0) {
            int packetId = nextPacketId();
            inFlight.add(packetId);
            builder.messageId(packetId);
        }
        return builder.build();
    }

    private int nextPacketId() {
        // inFlight.size() < receiveMaximum <= 65535, so a free id exists.
        do {
            lastPacketId = lastPacketId == 0xFFFF ? 1 : lastPacketId + 1;
        } while (inFlight.contains(lastPacketId));
        return lastPacketId;
    }

    /** An upper bound of the encoded PUBLISH size: fixed header, topic, packet id, properties, payload. */
    private static long estimatedSize(OutboundMessage message) {
        return 5L + 2 + message.topic().getBytes(StandardCharsets.UTF_8).length + 2 + 10 + message.payload().length;
    }
}
