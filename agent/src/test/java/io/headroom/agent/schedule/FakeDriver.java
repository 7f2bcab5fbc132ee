package io.headroom.agent.schedule;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A scripted driver: the seam under the scheduler. Records poll starts (on the injected clock), and,
 * in a {@link Probe} it may share with the other drivers of a lane, concurrency and request order.
 */
final class FakeDriver implements Driver {

    enum Behaviour {
        ONLINE,
        OFFLINE,
        HANG,
        HANG_IGNORING_INTERRUPTS,
        THROW
    }

    /** What the drivers sharing it saw: the most of them inside at once, and every request in order. */
    static final class Probe {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger maxInside = new AtomicInteger();
        /** "name:poll", or "name:VERB_X" for a command, in the order they began. */
        final List<String> requests = new CopyOnWriteArrayList<>();
    }

    final String name;
    final Probe probe;
    final AtomicReference<Behaviour> behaviour = new AtomicReference<>();
    final List<Long> pollStarts = new CopyOnWriteArrayList<>();
    final AtomicInteger commands = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    /** Polls that have started hanging. */
    final AtomicInteger hangs = new AtomicInteger();
    /** Counted down when a hanging poll is interrupted. */
    final CountDownLatch interrupted = new CountDownLatch(1);

    private final MonotonicClock clock;
    private volatile CountDownLatch release = new CountDownLatch(1);

    FakeDriver(String name, Behaviour initial, MonotonicClock clock, Probe probe) {
        this.name = name;
        this.clock = clock;
        this.probe = probe;
        behaviour.set(initial);
    }

    FakeDriver(String name, Behaviour initial, MonotonicClock clock) {
        this(name, initial, clock, new Probe());
    }

    int polls() {
        return pollStarts.size();
    }

    /** Ends the hang now in progress, if any; a later hang waits for the next release. */
    void releaseHang() {
        CountDownLatch current = release;
        release = new CountDownLatch(1);
        current.countDown();
    }

    private void enter(String request) {
        int now = probe.inside.incrementAndGet();
        probe.maxInside.accumulateAndGet(now, Math::max);
        probe.requests.add(name + ":" + request);
    }

    @Override
    public PollResult poll() throws InterruptedException {
        CountDownLatch gate = release;
        enter("poll");
        try {
            pollStarts.add(clock.nanoTime());
            switch (behaviour.get()) {
                case HANG:
                    hangs.incrementAndGet();
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                    return online();
                case HANG_IGNORING_INTERRUPTS:
                    hangs.incrementAndGet();
                    while (true) {
                        try {
                            gate.await();
                            return online();
                        } catch (InterruptedException e) {
                            interrupted.countDown(); // and carry on blocking, like a careless driver
                        }
                    }
                case OFFLINE:
                    return PollResult.offline(Instant.EPOCH, "timeout", "scripted");
                case THROW:
                    throw new IllegalStateException("scripted driver bug");
                default:
                    return online();
            }
        } finally {
            probe.inside.decrementAndGet();
        }
    }

    private static PollResult online() {
        return new PollResult(
                Instant.EPOCH, DeviceHealth.DEVICE_HEALTH_ONLINE, "", "", null, List.of(Reading.of("power", "", 3000)));
    }

    @Override
    public CommandOutcome execute(Verb verb, double value, String instance) {
        enter(verb.name());
        try {
            commands.incrementAndGet();
            return new CommandOutcome(ResultStatus.RESULT_STATUS_APPLIED, "", "", OptionalDouble.of(value));
        } finally {
            probe.inside.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }
}
