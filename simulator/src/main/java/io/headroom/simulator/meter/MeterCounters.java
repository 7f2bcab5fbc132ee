package io.headroom.simulator.meter;

import java.util.concurrent.atomic.AtomicLong;

/** What a simulated meter's listener has seen, for tests and the demo. */
final class MeterCounters {
    /** Read requests answered with registers. */
    final AtomicLong served = new AtomicLong();
    /** Requests answered with a Modbus exception, or not at all (another unit id). */
    final AtomicLong refused = new AtomicLong();
    /** Frames (TCP) or connections closed because their bytes were not Modbus. */
    final AtomicLong garbage = new AtomicLong();
}
