package io.headroom.controller.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The endpoint's Micrometer meters. Names are lowercase-dot; tag values are fixed words
 * (never usernames or topics, which would make cardinality unbounded).
 *
 * <p>Counters of the per-message path are bound once (issue 9: looking two counters up by name on
 * every message showed in the profile); the rare ones are looked up when they happen.
 */
final class MqttMetrics implements AutoCloseable {
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
    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();

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

    /** {@code kind}: the topic kind's wire name (birth, data, result, death), or grid-signal. */
    void received(String kind) {
        received.computeIfAbsent(kind, k -> registry.counter("headroom.mqtt.messages.received", "kind", k))
                .increment();
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

    /** {@code reason}: queue-full, expired, too-large-for-client, observer-lane-full, connection-closed. */
    void dropped(String reason) {
        dropped(reason, 1);
    }

    void dropped(String reason, int count) {
        dropped.computeIfAbsent(reason, r -> registry.counter("headroom.mqtt.dropped", "reason", r))
                .increment(count);
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
