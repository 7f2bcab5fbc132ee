package io.headroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    private static final Instant START = Instant.parse("2030-06-01T12:00:00Z");

    @Test
    void advance_movesWallAndMonotonicTimeTogether_andOnlyWhenTold() {
        ManualClock clock = new ManualClock(START, 42);

        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.nanoTime()).isEqualTo(42);
        clock.advance(Duration.ofMillis(1500));

        assertThat(clock.instant()).isEqualTo(START.plusMillis(1500));
        assertThat(clock.nanoTime()).isEqualTo(42 + 1_500_000_000L);
        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(1500));
        assertThat(clock.withZone(ZoneId.of("Europe/Paris")).instant()).isEqualTo(clock.instant());
    }

    @Test
    void advance_negativeStep_isRefused() {
        assertThatThrownBy(() -> new ManualClock().advance(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
    }

    @Test
    void nanoTime_wrapsLikeSystemNanoTime() {
        ManualClock clock = new ManualClock(START, Long.MAX_VALUE);
        long before = clock.nanoTime();
        clock.advance(Duration.ofNanos(10));
        assertThat(clock.nanoTime() - before).isEqualTo(10);
        assertThat(clock.nanoTime()).isNegative();
    }

    @Test
    void timer_runsTasksInDueOrder_eachAtItsDueTime_includingOnesScheduledOnTheWay() {
        ManualClock clock = new ManualClock(START, 0);
        ManualTimer timer = clock.newTimer();
        List<String> ran = new ArrayList<>();
        timer.schedule(() -> ran.add("b@" + clock.nanoTime()), 200);
        timer.schedule(
                () -> {
                    ran.add("a@" + clock.nanoTime());
                    timer.schedule(() -> ran.add("c@" + clock.nanoTime()), 150); // due at 250, within the step
                },
                100);
        timer.schedule(() -> ran.add("b2@" + clock.nanoTime()), 200);
        timer.schedule(() -> ran.add("late@" + clock.nanoTime()), 301);

        clock.advance(Duration.ofNanos(99));
        assertThat(ran).as("nothing before its due time").isEmpty();
        clock.advance(Duration.ofNanos(201));

        assertThat(ran).containsExactly("a@100", "b@200", "b2@200", "c@250");
        assertThat(clock.nanoTime()).isEqualTo(300);
        assertThat(timer.pendingDueNanos()).containsExactly(301L);
    }

    @Test
    void timer_zeroStep_runsWhatIsDueNow_andCancelKeepsATaskFromRunning() {
        ManualClock clock = new ManualClock();
        ManualTimer timer = clock.newTimer();
        List<String> ran = new ArrayList<>();
        timer.schedule(() -> ran.add("now"), 0);
        ManualTimer.Scheduled cancelled = timer.schedule(() -> ran.add("cancelled"), Duration.ofSeconds(1));

        clock.advance(Duration.ZERO);
        assertThat(ran).containsExactly("now");
        assertThat(cancelled.cancel()).isTrue();
        assertThat(cancelled.cancel()).isFalse();
        clock.advance(Duration.ofSeconds(2));

        assertThat(ran).containsExactly("now");
        assertThat(timer.pending()).isZero();
    }
}
