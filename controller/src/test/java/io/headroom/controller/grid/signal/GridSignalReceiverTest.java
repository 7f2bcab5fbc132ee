package io.headroom.controller.grid.signal;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GridSignalReceiverTest {
    private static final Instant NOW = Instant.parse("2026-12-01T14:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ManualClock clock = new ManualClock(NOW, 0);
    private final List<SignalStatus> heard = new ArrayList<>();
    private final GridSignalState state =
            new GridSignalState(new GridSignalPolicy(Duration.ofMinutes(5), Optional.of(20.0), Duration.ofSeconds(30)));

    private GridSignalReceiver receiver(GridSignalListener listener) {
        return new GridSignalReceiver(state, listener, registry, clock, clock::nanoTime);
    }

    private static ByteBuffer json(double percent, Instant at) {
        return ByteBuffer.wrap(
                ("{\"target_percent\":" + percent + ",\"timestamp\":\"" + at + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private double dropped(String reason) {
        return registry.get("headroom.grid.signal.dropped")
                .tag("reason", reason)
                .counter()
                .count();
    }

    @Test
    void accepted_reachesStateAndListener_droppedAreCountedByReason_everyReasonIsPreRegistered() {
        GridSignalReceiver receiver = receiver(heard::add);

        assertThat(receiver.receive(json(60, NOW), "ems")).isInstanceOf(SignalOutcome.Accepted.class);
        receiver.receive(json(50, NOW), "ems"); // same timestamp
        receiver.receive(json(50, NOW.plusSeconds(31)), "ems");
        receiver.receive(ByteBuffer.wrap(new byte[] {1, 2, 3}), "ems");

        assertThat(heard)
                .singleElement()
                .satisfies(s -> assertThat(s.effectivePercent()).isEqualTo(60.0));
        assertThat(state.last().orElseThrow().targetPercent()).isEqualTo(60.0);
        assertThat(registry.get("headroom.grid.signal.accepted").counter().count())
                .isEqualTo(1);
        assertThat(dropped("duplicate")).isEqualTo(1);
        assertThat(dropped("future")).isEqualTo(1);
        assertThat(dropped("malformed")).isEqualTo(1);
        for (DropReason reason : DropReason.values()) {
            assertThat(registry.find("headroom.grid.signal.dropped")
                            .tag("reason", reason.tag())
                            .counter())
                    .as(reason.tag())
                    .isNotNull();
        }
    }

    @Test
    void steppedClock_signalAgesIntoFailSafe() {
        GridSignalReceiver receiver = receiver(heard::add);
        receiver.receive(json(70, NOW), "ems");

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        SignalStatus status = state.status(clock.instant()).orElseThrow();

        assertThat(status.failSafe()).isTrue();
        assertThat(status.effectivePercent()).isEqualTo(20.0);
        assertThat(receiver.receive(json(90, NOW.plusMillis(500)), "ems"))
                .as("arrives already older than max-age")
                .isInstanceOfSatisfying(
                        SignalOutcome.Dropped.class, d -> assertThat(d.reason()).isEqualTo(DropReason.EXPIRED));
    }

    @Test
    void throwingListener_isCounted_andTheSignalStaysAccepted() {
        GridSignalReceiver receiver = receiver(status -> {
            throw new IllegalStateException("boom");
        });

        assertThat(receiver.receive(json(40, NOW), "ems")).isInstanceOf(SignalOutcome.Accepted.class);

        assertThat(state.last()).isPresent();
        assertThat(registry.get("headroom.grid.signal.listener.failures")
                        .counter()
                        .count())
                .isEqualTo(1);
    }
}
