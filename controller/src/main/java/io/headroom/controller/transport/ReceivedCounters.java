package io.headroom.controller.transport;

import io.headroom.protocol.TopicKind;
import io.micrometer.core.instrument.Counter;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The counters of messages taken in, by {@code kind} tag: each kind agents publish, grid signals and
 * market prices. Both transports (the MQTT endpoint's {@code headroom.mqtt.messages.received}, the
 * broker client's {@code headroom.broker.messages.received}) count alike; each binds its own meter per
 * kind once, at start, and reaches it by enum on every message, never by name (issue 9).
 */
public final class ReceivedCounters {
    /** The {@code kind} tag for grid signals. */
    public static final String GRID_SIGNAL_KIND = "grid-signal";

    /** The {@code kind} tag for market prices. */
    public static final String PRICE_KIND = "market-price";

    private final Map<TopicKind, Counter> byKind = new EnumMap<>(TopicKind.class);
    private final Counter gridSignals;
    private final Counter prices;

    /** @param counterOfKind registers the transport's counter with this {@code kind} tag */
    public ReceivedCounters(Function<String, Counter> counterOfKind) {
        for (TopicKind kind : TopicKind.values()) {
            if (kind.direction() == TopicKind.Direction.FROM_AGENT) {
                byKind.put(kind, counterOfKind.apply(kind.wireName()));
            }
        }
        gridSignals = counterOfKind.apply(GRID_SIGNAL_KIND);
        prices = counterOfKind.apply(PRICE_KIND);
    }

    /** An agent's message (birth, data, result, death, Wills included). */
    public void received(TopicKind kind) {
        Counter counter = byKind.get(kind);
        if (counter == null) {
            throw new IllegalArgumentException("not a kind agents publish: " + kind);
        }
        counter.increment();
    }

    public void gridSignal() {
        gridSignals.increment();
    }

    public void price() {
        prices.increment();
    }
}
