package io.headroom.controller.mqtt;

import io.headroom.controller.transport.ReceivedCounters;
import io.headroom.protocol.TopicKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The endpoint's Micrometer meters. Names are lowercase-dot; tag values are fixed words
 * (never usernames or topics, which would make cardinality unbounded).
 *
 * <p>Counters of the per-message path (received, sent, dropped) are bound when the endpoint starts,
 * one per tag value, and reached by enum, never by name (issue 9: looking two counters up by name on
 * every message showed in the profile); the rare ones are looked up when they happen.
 */
final class MqttMetrics implements AutoCloseable {
    /** Why an outbound message was not delivered: the {@code reason} of {@code headroom.mqtt.dropped}. */
    enum Drop {
        /** The connection's outbound queue was full: the oldest message went. */
        QUEUE_FULL("queue-full"),
        /** Its expiry passed while it waited. */
        EXPIRED("expired"),
        /** Over the client's Maximum Packet Size. */
        TOO_LARGE_FOR_CLIENT("too-large-for-client"),
        /** An observer's own lane was full. */
        OBSERVER_LANE_FULL("observer-lane-full"),
        /** Still queued when its connection ended. */
        CONNECTION_CLOSED("connection-closed");

        final String tag;

        Drop(String tag) {
            this.tag = tag;
        }
    }

    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger agentSessions = new AtomicInteger();
    private final AtomicInteger observerSessions = new AtomicInteger();
    private final AtomicInteger gridSessions = new AtomicInteger();
    private final AtomicInteger priceSessions = new AtomicInteger();
    private final AtomicInteger readPaused = new AtomicInteger();
    private final List<Meter> gauges = new ArrayList<>();
    private final Counter sent;
    private final Counter readPauses;
    private final ReceivedCounters received;
    private final Map<Drop, Counter> dropped = new EnumMap<>(Drop.class);

    MqttMetrics(MeterRegistry registry) {
        this.registry = registry;
        gauges.add(Gauge.builder("headroom.mqtt.connections", connections, AtomicInteger::get)
                .description("Open TCP connections to the MQTT endpoint, authenticated or not")
                .register(registry));
        gauges.add(Gauge.builder("headroom.mqtt.sessions", agentSessions, AtomicInteger::get)
                .tag("role", Role.AGENT.fileName())
                .description("Accepted MQTT sessions")
                .register(registry));
        gauges.add(Gauge.builder("headroom.mqtt.sessions", observerSessions, AtomicInteger::get)
                .tag("role", Role.OBSERVER.fileName())
                .description("Accepted MQTT sessions")
                .register(registry));
        gauges.add(Gauge.builder("headroom.mqtt.sessions", gridSessions, AtomicInteger::get)
                .tag("role", Role.GRID.fileName())
                .description("Accepted MQTT sessions")
                .register(registry));
        gauges.add(Gauge.builder("headroom.mqtt.sessions", priceSessions, AtomicInteger::get)
                .tag("role", Role.PRICE.fileName())
                .description("Accepted MQTT sessions")
                .register(registry));
        gauges.add(Gauge.builder("headroom.mqtt.read.paused", readPaused, AtomicInteger::get)
                .description("Connections the endpoint stopped reading because it cannot write to them")
                .register(registry));
        sent = registry.counter("headroom.mqtt.messages.sent");
        readPauses = Counter.builder("headroom.mqtt.read.pauses")
                .description("Times a connection was no longer read because it could not be written to")
                .register(registry);
        received = new ReceivedCounters(kind -> registry.counter("headroom.mqtt.messages.received", "kind", kind));
        for (Drop drop : Drop.values()) {
            dropped.put(drop, registry.counter("headroom.mqtt.dropped", "reason", drop.tag));
        }
    }

    MeterRegistry registry() {
        return registry;
    }

    /** {@code result}: accepted (the old session was replaced) or refused (rate limit). */
    void takeover(String result) {
        registry.counter("headroom.mqtt.takeovers", "result", result).increment();
    }

    AtomicInteger connections() {
        return connections;
    }

    void sessionStarted(Role role) {
        sessions(role).incrementAndGet();
    }

    void sessionEnded(Role role) {
        sessions(role).decrementAndGet();
    }

    private AtomicInteger sessions(Role role) {
        return switch (role) {
            case AGENT -> agentSessions;
            case OBSERVER -> observerSessions;
            case GRID -> gridSessions;
            case PRICE -> priceSessions;
        };
    }

    /** {@code result}: accepted, bad-credentials, not-authorized, invalid-client-id, ... */
    void connectAttempt(String result) {
        registry.counter("headroom.mqtt.connect.attempts", "result", result).increment();
    }

    /** An agent's message (birth, data, result, death, Wills included). */
    void received(TopicKind kind) {
        received.received(kind);
    }

    void receivedGridSignal() {
        received.gridSignal();
    }

    void receivedPrice() {
        received.price();
    }

    void sent() {
        sent.increment();
    }

    /** A connection became unwritable and is no longer read ({@code +1}), or writable again ({@code -1}). */
    void readPaused(int delta) {
        readPaused.addAndGet(delta);
        if (delta > 0) {
            readPauses.increment();
        }
    }

    /** The endpoint closed a connection for what it did, not what it sent: {@code reason} unwritable. */
    void disconnected(String reason) {
        registry.counter("headroom.mqtt.disconnects", "reason", reason).increment();
    }

    void violation(String reason) {
        registry.counter("headroom.mqtt.violations", "reason", reason).increment();
    }

    void dropped(Drop reason) {
        dropped.get(reason).increment();
    }

    void dropped(Drop reason, int count) {
        dropped.get(reason).increment(count);
    }

    /** An exception in the endpoint's own handlers that is not an I/O error: a bug, never a client's fault. */
    void unexpectedError() {
        registry.counter("headroom.mqtt.errors").increment();
    }

    void listenerFailure() {
        registry.counter("headroom.mqtt.listener.failures").increment();
    }

    /** Removes the gauges, which would otherwise keep reporting a closed endpoint. */
    @Override
    public void close() {
        gauges.forEach(registry::remove);
    }
}
