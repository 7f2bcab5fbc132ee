package io.headroom.controller.broker;

import io.headroom.controller.transport.ReceivedCounters;
import io.headroom.protocol.TopicKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The broker client's Micrometer meters ({@code headroom.broker.*}). Tag values are fixed words,
 * never topics or agent ids; every counter is bound once, when the client starts, so a message never
 * looks one up (issue 9).
 */
final class BrokerMetrics implements AutoCloseable {
    /** A topic that is not one of this site's agent, signal or price topics. */
    static final String DROP_TOPIC = "topic";
    /** A price for an input that does not take prices over MQTT. */
    static final String DROP_NOT_TAKEN = "not-taken";
    /** A publish while the broker is unreachable. */
    static final String PUBLISH_DISCONNECTED = "disconnected";
    /** A publish Paho refused (its in-flight window full, a client closing). */
    static final String PUBLISH_REFUSED = "refused";

    private final MeterRegistry registry;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private final Counter outages;
    private final Counter connectFailures;
    private final Counter sent;
    private final ReceivedCounters received;
    private final Map<String, Counter> dropped;
    private final Map<String, Counter> publishDropped;

    BrokerMetrics(MeterRegistry registry, IntSupplier connected, IntSupplier liveAgents) {
        this.registry = registry;
        // Strong references: a gauge holds its object weakly, and these lambdas have no other holder,
        // so after a GC the gauges read NaN (seen in BrokerTransportTlsIT: headroom_broker_connected NaN).
        meters.add(Gauge.builder("headroom.broker.connected", connected, IntSupplier::getAsInt)
                .description("1 while the controller is connected and subscribed to the external broker")
                .strongReference(true)
                .register(registry));
        meters.add(Gauge.builder("headroom.broker.agents.live", liveAgents, IntSupplier::getAsInt)
                .description("Agents born and not dead, as seen through the broker")
                .strongReference(true)
                .register(registry));
        outages = register(Counter.builder("headroom.broker.outages")
                .description("Times the broker became unreachable (a lost connection, or a first connect that failed)")
                .register(registry));
        connectFailures = register(Counter.builder("headroom.broker.connect.failures")
                .description("Connection attempts to the broker that failed")
                .register(registry));
        sent = register(Counter.builder("headroom.broker.messages.sent")
                .description("Messages handed to the broker client")
                .register(registry));
        received = new ReceivedCounters(this::receivedCounter);
        dropped = Map.of(DROP_TOPIC, droppedCounter(DROP_TOPIC), DROP_NOT_TAKEN, droppedCounter(DROP_NOT_TAKEN));
        publishDropped = Map.of(
                PUBLISH_DISCONNECTED,
                publishDroppedCounter(PUBLISH_DISCONNECTED),
                PUBLISH_REFUSED,
                publishDroppedCounter(PUBLISH_REFUSED));
    }

    private Counter receivedCounter(String kind) {
        return register(Counter.builder("headroom.broker.messages.received")
                .description("Messages delivered by the broker, by kind")
                .tag("kind", kind)
                .register(registry));
    }

    private Counter droppedCounter(String reason) {
        return register(Counter.builder("headroom.broker.messages.dropped")
                .description("Messages from the broker dropped before ingest, by reason")
                .tag("reason", reason)
                .register(registry));
    }

    private Counter publishDroppedCounter(String reason) {
        return register(Counter.builder("headroom.broker.publish.dropped")
                .description("Controller messages not handed to the broker, by reason")
                .tag("reason", reason)
                .register(registry));
    }

    private static Counter bound(Map<String, Counter> counters, String reason) {
        Counter counter = counters.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException("not a reason of this meter: " + reason);
        }
        return counter;
    }

    private Counter register(Counter counter) {
        meters.add(counter);
        return counter;
    }

    void outage() {
        outages.increment();
    }

    void connectFailed() {
        connectFailures.increment();
    }

    void sent() {
        sent.increment();
    }

    /** An agent's message. */
    void received(TopicKind kind) {
        received.received(kind);
    }

    void receivedGridSignal() {
        received.gridSignal();
    }

    void receivedPrice() {
        received.price();
    }

    /** {@code reason}: {@link #DROP_TOPIC} or {@link #DROP_NOT_TAKEN}. */
    void dropped(String reason) {
        bound(dropped, reason).increment();
    }

    /** {@code reason}: {@link #PUBLISH_DISCONNECTED} or {@link #PUBLISH_REFUSED}. */
    void publishDropped(String reason) {
        bound(publishDropped, reason).increment();
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
