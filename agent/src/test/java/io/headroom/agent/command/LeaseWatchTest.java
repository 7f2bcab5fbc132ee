package io.headroom.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.publish.ControllerStateReceipt;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LeaseWatchTest {
    // Near the top of the range: the lease must be judged by subtraction, across the wrap.
    private final ManualClock clock =
            new ManualClock(Instant.parse("2026-12-01T12:00:00Z"), Long.MAX_VALUE - 5_000_000_000L);
    private final AtomicReference<ControllerStateReceipt> last = new AtomicReference<>();
    private final LeaseWatch lease = new LeaseWatch(() -> Optional.ofNullable(last.get()), clock::nanoTime);

    private void receive(boolean online, int leaseMs) {
        last.set(new ControllerStateReceipt(
                ControllerState.newBuilder()
                        .setOnline(online)
                        .setLeaseMs(leaseMs)
                        .setControllerId("c1")
                        .build(),
                clock.nanoTime()));
    }

    @Test
    void noStateYet_isLapsed() {
        assertThat(lease.status()).isEqualTo(LeaseWatch.Status.NO_STATE);
        assertThat(lease.valid()).isFalse();
    }

    @Test
    void online_validUntilLeasePassesSinceReceipt_thenExpired() {
        receive(true, 60_000);
        assertThat(lease.valid()).isTrue();

        clock.advance(Duration.ofMillis(59_999));
        assertThat(lease.status()).isEqualTo(LeaseWatch.Status.VALID);

        clock.advance(Duration.ofMillis(1));
        assertThat(lease.status()).isEqualTo(LeaseWatch.Status.EXPIRED);
        assertThat(lease.valid()).isFalse();
    }

    @Test
    void renewal_restartsTheLeaseFromReceipt() {
        receive(true, 60_000);
        clock.advance(Duration.ofSeconds(50));
        receive(true, 60_000);
        clock.advance(Duration.ofSeconds(50));

        assertThat(lease.valid()).isTrue();
    }

    @Test
    void controllerOffline_isLapsedAtOnce() {
        receive(true, 60_000);
        receive(false, 60_000);

        assertThat(lease.status()).isEqualTo(LeaseWatch.Status.CONTROLLER_OFFLINE);
        assertThat(lease.valid()).isFalse();
    }

    @Test
    void zeroLease_isNeverValid() {
        receive(true, 0);

        assertThat(lease.status()).isEqualTo(LeaseWatch.Status.NO_LEASE);
    }

    @Test
    void leaseAboveIntMax_isReadUnsigned_notNegative() {
        receive(true, -1); // uint32 4294967295 ms, about 49.7 days
        clock.advance(Duration.ofDays(40));

        assertThat(lease.valid()).isTrue();
    }
}
