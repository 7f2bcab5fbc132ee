package io.headroom.controller.mqtt;

import io.headroom.protocol.Topic;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * One accepted (or being accepted) MQTT connection: who it is, what it subscribed to, its Will
 * and how it ended.
 *
 * <p>Mutable state is confined to the channel's event loop, except {@link #subscriptions}, which
 * is an immutable map replaced on change and read by publishers on any thread.
 */
final class MqttSession {
    static final AttributeKey<MqttSession> KEY = AttributeKey.valueOf(MqttSession.class, "session");

    /** A granted subscription. */
    record Subscription(String filter, int qos) {}

    /** An agent's Will, already checked to be on its own death topic. */
    record Will(Topic.AgentTopic topic, byte[] payload, int qos, long messageExpirySeconds) {}

    private final Channel channel;
    private final String clientId;
    private final String username;
    private final Role role;
    private final MqttVersion version;
    private final Will will;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile Map<String, Subscription> subscriptions = Map.of();
    private OutboundDelivery outbound;
    private volatile @Nullable ObserverLane lane;
    private volatile boolean announced;
    private boolean graceful;
    private boolean closing;
    private boolean warned;

    MqttSession(Channel channel, String clientId, String username, Role role, MqttVersion version, Will will) {
        this.channel = channel;
        this.clientId = clientId;
        this.username = username;
        this.role = role;
        this.version = version;
        this.will = will;
    }

    Channel channel() {
        return channel;
    }

    String clientId() {
        return clientId;
    }

    String username() {
        return username;
    }

    Role role() {
        return role;
    }

    MqttVersion version() {
        return version;
    }

    boolean isV5() {
        return version == MqttVersion.MQTT_5;
    }

    Will will() {
        return will;
    }

    /** Completes once the session's end was fully handled (Will published, listener told). */
    CompletableFuture<Void> ended() {
        return ended;
    }

    OutboundDelivery outbound() {
        return outbound;
    }

    void outbound(OutboundDelivery outbound) {
        this.outbound = outbound;
    }

    /** An observer's bounded lane: what agents publish reaches it through this, never blocking them. */
    void lane(ObserverLane lane) {
        this.lane = lane;
    }

    @Nullable
    ObserverLane lane() {
        return lane;
    }

    /** True once CONNACK was sent (and, for an agent, the listener told). */
    boolean announced() {
        return announced;
    }

    void announce() {
        announced = true;
    }

    /** True after a DISCONNECT with reason 0x00: no Will. */
    boolean graceful() {
        return graceful;
    }

    void disconnectedGracefully() {
        graceful = true;
    }

    /** True once the endpoint decided to close this connection; later packets are ignored. */
    boolean closing() {
        return closing;
    }

    void markClosing() {
        closing = true;
    }

    /** Returns true the first time only: a refused subscription is logged once per connection. */
    boolean warnOnce() {
        boolean first = !warned;
        warned = true;
        return first;
    }

    Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    void subscribe(Subscription subscription) {
        Map<String, Subscription> next = new HashMap<>(subscriptions);
        next.put(subscription.filter(), subscription);
        subscriptions = Map.copyOf(next);
    }

    boolean unsubscribe(String filter) {
        if (!subscriptions.containsKey(filter)) {
            return false;
        }
        Map<String, Subscription> next = new HashMap<>(subscriptions);
        next.remove(filter);
        subscriptions = Map.copyOf(next);
        return true;
    }

    /**
     * The QoS to deliver a message on {@code topic} at, or -1 if no subscription matches. With
     * overlapping subscriptions the highest granted QoS wins (MQTT 5 §3.3.4). Any thread.
     */
    int deliveryQos(String topic, int messageQos) {
        int best = -1;
        for (Subscription subscription : subscriptions.values()) {
            if (TopicFilter.matches(subscription.filter(), topic)) {
                best = Math.max(best, Math.min(messageQos, subscription.qos()));
            }
        }
        return best;
    }

    /**
     * Queues {@code message} for this client if it subscribed to its topic; any thread. Returns
     * whether it was queued.
     */
    boolean offer(OutboundMessage message) {
        int qos = deliveryQos(message.topic(), message.qos());
        if (qos < 0) {
            return false;
        }
        ObserverLane observerLane = lane;
        if (observerLane != null) {
            return observerLane.offer(message, qos);
        }
        if (channel.eventLoop().inEventLoop()) {
            // E.g. ingest's ack to the agent whose Data is being read: written in the same batch.
            if (outbound != null && !closing) {
                outbound.enqueue(message, qos, false);
            }
            return true;
        }
        try {
            channel.eventLoop().execute(() -> {
                if (outbound != null && !closing) {
                    outbound.enqueue(message, qos, false);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false; // the endpoint is shutting down
        }
    }

    @Override
    public String toString() {
        return role.fileName() + " '" + username + "' (client id '" + clientId + "', " + channel.remoteAddress() + ")";
    }
}
