package io.headroom.controller.grid.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Staleness and the fail-safe rule on a stepped clock: every instant is written out. */
class GridSignalStateTest {
    private static final Instant T0 = Instant.parse("2026-12-01T14:00:00Z");
    private static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Duration TOLERANCE = Duration.ofSeconds(30);

    private static GridSignalState state(Optional<Double> failSafePercent) {
        return new GridSignalState(new GridSignalPolicy(MAX_AGE, failSafePercent, TOLERANCE));
    }

    private static GridSignal signal(double percent, Instant at) {
        return new GridSignal(percent, at, Optional.empty());
    }

    private static SignalStatus accepted(SignalOutcome outcome) {
        assertThat(outcome).isInstanceOf(SignalOutcome.Accepted.class);
        return ((SignalOutcome.Accepted) outcome).status();
    }

    private static DropReason dropped(SignalOutcome outcome) {
        assertThat(outcome).isInstanceOf(SignalOutcome.Dropped.class);
        return ((SignalOutcome.Dropped) outcome).reason();
    }

    @Test
    void noSignalYet_noStatus() {
        assertThat(state(Optional.empty()).status(T0)).isEmpty();
    }

    @Test
    void freshSignal_isItsOwnEffectivePercent_untilOneStepPastMaxAge_thenStaleAndFailSafe() {
        GridSignalState state = state(Optional.empty());
        SignalStatus onArrival = accepted(state.offer(signal(60, T0), T0.plusSeconds(2)));

        assertThat(onArrival.stale()).isFalse();
        assertThat(onArrival.effectivePercent()).isEqualTo(60.0);
        assertThat(onArrival.age()).isEqualTo(Duration.ofSeconds(2));
        assertThat(onArrival.curtailedSince()).contains(T0);

        SignalStatus atMaxAge = state.status(T0.plus(MAX_AGE)).orElseThrow();
        assertThat(atMaxAge.stale()).isFalse();
        assertThat(atMaxAge.failSafe()).isFalse();

        SignalStatus justPast = state.status(T0.plus(MAX_AGE).plusMillis(1)).orElseThrow();
        assertThat(justPast.stale()).isTrue();
        assertThat(justPast.failSafe()).isTrue();
        assertThat(justPast.effectivePercent()).isEqualTo(60.0);
        assertThat(justPast.percent()).isEqualTo(60.0);
        assertThat(justPast.curtailedSince()).contains(T0);

        SignalStatus muchLater = state.status(T0.plus(Duration.ofDays(3))).orElseThrow();
        assertThat(muchLater.effectivePercent())
                .as("a lost signal never lifts a curtailment")
                .isEqualTo(60.0);
        assertThat(muchLater.age()).isEqualTo(Duration.ofDays(3));
    }

    @Test
    void stale_failSafePercentLowerThanSignal_wins_higherOneDoesNot() {
        GridSignalState lower = state(Optional.of(40.0));
        GridSignalState higher = state(Optional.of(80.0));
        lower.offer(signal(60, T0), T0);
        higher.offer(signal(60, T0), T0);
        Instant stale = T0.plus(MAX_AGE).plusSeconds(1);

        assertThat(lower.status(T0).orElseThrow().effectivePercent()).isEqualTo(60.0);
        assertThat(lower.status(stale).orElseThrow().effectivePercent()).isEqualTo(40.0);
        assertThat(higher.status(stale).orElseThrow().effectivePercent()).isEqualTo(60.0);
    }

    @Test
    void stale100_withFailSafePercent_startsACurtailmentWhenTheSignalWentStale() {
        GridSignalState state = state(Optional.of(50.0));
        SignalStatus fresh = accepted(state.offer(signal(100, T0), T0));
        assertThat(fresh.effectivePercent()).isEqualTo(100.0);
        assertThat(fresh.curtailedSince()).isEmpty();

        SignalStatus stale = state.status(T0.plus(MAX_AGE).plusSeconds(10)).orElseThrow();
        assertThat(stale.effectivePercent()).isEqualTo(50.0);
        assertThat(stale.curtailedSince()).contains(T0.plus(MAX_AGE));

        // A fresh curtailing signal after that continues the curtailment the fail-safe began.
        Instant later = T0.plus(MAX_AGE).plusSeconds(60);
        SignalStatus resumed = accepted(state.offer(signal(70, later), later));
        assertThat(resumed.effectivePercent()).isEqualTo(70.0);
        assertThat(resumed.curtailedSince()).contains(T0.plus(MAX_AGE));
    }

    @Test
    void stale100_withoutFailSafePercent_staysAt100_butReportsFailSafe() {
        GridSignalState state = state(Optional.empty());
        state.offer(signal(100, T0), T0);

        SignalStatus stale = state.status(T0.plus(MAX_AGE).plusSeconds(1)).orElseThrow();
        assertThat(stale.failSafe()).isTrue();
        assertThat(stale.effectivePercent()).isEqualTo(100.0);
        assertThat(stale.curtailedSince()).isEmpty();
    }

    @Test
    void onlyAFresh100_endsTheCurtailment_andAFreshHigherPercentRaisesIt() {
        GridSignalState state = state(Optional.of(30.0));
        state.offer(signal(60, T0), T0);
        Instant t1 = T0.plusSeconds(60);
        SignalStatus raised = accepted(state.offer(signal(80, t1), t1));
        assertThat(raised.effectivePercent()).isEqualTo(80.0);
        assertThat(raised.curtailedSince())
                .as("one curtailment, from its first signal")
                .contains(T0);

        Instant staleAt = t1.plus(MAX_AGE).plusSeconds(1);
        assertThat(state.status(staleAt).orElseThrow().effectivePercent()).isEqualTo(30.0);

        Instant t2 = staleAt.plusSeconds(5);
        SignalStatus ended = accepted(state.offer(signal(100, t2), t2));
        assertThat(ended.failSafe()).isFalse();
        assertThat(ended.effectivePercent()).isEqualTo(100.0);
        assertThat(ended.curtailedSince()).isEmpty();

        Instant t3 = t2.plusSeconds(5);
        assertThat(accepted(state.offer(signal(90, t3), t3)).curtailedSince())
                .as("a new curtailment starts at its own first signal")
                .contains(t3);
    }

    @Test
    void future_expired_older_duplicate_areDropped_andNeverChangeTheLastGoodSignal() {
        GridSignalState state = state(Optional.empty());
        Instant now = T0.plusSeconds(100);
        accepted(state.offer(signal(60, T0.plusSeconds(90)), now));

        assertThat(dropped(state.offer(signal(10, now.plus(TOLERANCE).plusMillis(1)), now)))
                .isEqualTo(DropReason.FUTURE);
        assertThat(dropped(state.offer(signal(10, now.minus(MAX_AGE).minusMillis(1)), now)))
                .isEqualTo(DropReason.EXPIRED);
        assertThat(dropped(state.offer(signal(10, T0.plusSeconds(89)), now))).isEqualTo(DropReason.OLDER);
        assertThat(dropped(state.offer(signal(10, T0.plusSeconds(90)), now))).isEqualTo(DropReason.DUPLICATE);

        assertThat(state.last()).contains(signal(60, T0.plusSeconds(90)));
        SignalStatus ahead = accepted(state.offer(signal(70, now.plus(TOLERANCE)), now));
        assertThat(ahead.age())
                .as("stamped ahead within the tolerance: age zero")
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void concurrentOffers_keepTheNewestTimestamp() throws Exception {
        GridSignalState state = state(Optional.empty());
        Instant now = T0.plus(Duration.ofHours(1));
        int threads = 4;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    int n = i * threads + offset;
                    state.offer(signal(n % 101, now.minusMillis(threads * perThread - n)), now);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        int lastN = threads * perThread - 1;
        assertThat(state.last()).contains(signal(lastN % 101, now.minusMillis(1)));
    }
}
