package io.headroom.agent.transport.serial;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The meters of one bus, all tagged {@code bus}. */
final class SerialBusMeters {
    final Counter transactions;
    final Counter timeouts;
    final Counter discardedStale;
    final Counter discardedLate;
    final Counter discardedTrailing;
    final Counter reopens;
    final Counter openFailures;

    SerialBusMeters(MeterRegistry registry, String bus) {
        transactions = Counter.builder("headroom.agent.serial.transactions")
                .tag("bus", bus)
                .description("Requests written to the bus")
                .register(registry);
        timeouts = Counter.builder("headroom.agent.serial.timeouts")
                .tag("bus", bus)
                .description("Requests with no complete reply within their timeout")
                .register(registry);
        discardedStale = discarded(registry, bus, "stale");
        discardedLate = discarded(registry, bus, "late");
        discardedTrailing = discarded(registry, bus, "trailing");
        reopens = Counter.builder("headroom.agent.serial.reopens")
                .tag("bus", bus)
                .description("Opens of the port after a failed open or a lost port")
                .register(registry);
        openFailures = Counter.builder("headroom.agent.serial.open.failures")
                .tag("bus", bus)
                .description("Attempts to open the port that failed")
                .register(registry);
    }

    private static Counter discarded(MeterRegistry registry, String bus, String reason) {
        return Counter.builder("headroom.agent.serial.bytes.discarded")
                .tag("bus", bus)
                .tag("reason", reason)
                .description("Received bytes that belonged to no transaction")
                .baseUnit("bytes")
                .register(registry);
    }
}
