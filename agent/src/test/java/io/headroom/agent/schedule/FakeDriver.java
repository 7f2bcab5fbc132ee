package io.headroom.agent.schedule;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
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

/** A scripted driver: the seam under the scheduler. Records poll start times and concurrency. */
final class FakeDriver implements Driver {

    enum Behaviour { ONLINE, OFFLINE, HANG, THROW }

    final AtomicReference<Behaviour> behaviour = new AtomicReference<>(Behaviour.ONLINE);
    final List<Long> pollStarts = new CopyOnWriteArrayList<>();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger maxInside = new AtomicInteger();
    final AtomicInteger commands = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    /** Released to end a hang; a hang also ends when the thread is interrupted. */
    volatile CountDownLatch release = new CountDownLatch(1);
    /** Counted down when a poll starts hanging. */
    final CountDownLatch hanging = new CountDownLatch(1);

    FakeDriver(Behaviour initial) {
        behaviour.set(initial);
    }

    int polls() {
        return pollStarts.size();
    }

    private void enter() {
        int now = inside.incrementAndGet();
        maxInside.accumulateAndGet(now, Math::max);
    }

    @Override
    public PollResult poll() throws InterruptedException {
        enter();
        try {
            pollStarts.add(System.nanoTime());
            switch (behaviour.get()) {
                case HANG:
                    hanging.countDown();
                    release.await();
                    return online();
                case OFFLINE:
                    return PollResult.offline(Instant.now(), "timeout", "scripted");
                case THROW:
                    throw new IllegalStateException("scripted driver bug");
                default:
                    return online();
            }
        } finally {
            inside.decrementAndGet();
        }
    }

    private static PollResult online() {
        return new PollResult(Instant.now(), DeviceHealth.DEVICE_HEALTH_ONLINE, "", "", null,
                List.of(Reading.of("power", "", 3000)));
    }

    @Override
    public CommandOutcome execute(Verb verb, double value, String instance) {
        enter();
        try {
            commands.incrementAndGet();
            return new CommandOutcome(ResultStatus.RESULT_STATUS_APPLIED, "", "", OptionalDouble.of(0));
        } finally {
            inside.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }
}
