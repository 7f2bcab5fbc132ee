package io.headroom.agent.schedule;

import static io.headroom.agent.schedule.SchedulerFixture.PATIENCE;
import static io.headroom.agent.schedule.SchedulerFixture.awaitTrue;
import static io.headroom.agent.schedule.SchedulerFixture.device;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A set-point that expired while queued on its lane must never reach the device. Manual time. */
@Timeout(60)
class PollSchedulerDeadlineTest {
    private final SchedulerFixture fixture = new SchedulerFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void commandQueuedPastItsDeadline_rejectedExpired_deviceUntouched() throws Exception {
        FakeDriver driver = fixture.driver("m1", FakeDriver.Behaviour.HANG);
        FakeDriver mate = fixture.driver("m2", FakeDriver.Behaviour.ONLINE, driver.probe);
        PollScheduler scheduler = fixture.scheduler(
                List.of(device("bus", Duration.ofSeconds(1), driver), device("bus", Duration.ofSeconds(1), mate)));
        scheduler.start();
        fixture.time.advance(Duration.ZERO);
        awaitTrue(() -> driver.hangs.get() == 1);

        long deadline = fixture.time.nanoTime() + Duration.ofMillis(100).toNanos();
        CompletableFuture<CommandOutcome> late = scheduler.execute("m2", Verb.VERB_SLEEP, 0, deadline);
        CompletableFuture<CommandOutcome> inTime = scheduler.execute("m2", Verb.VERB_WAKE, 0, Long.MAX_VALUE);
        CompletableFuture<CommandOutcome> notYet = scheduler.execute(
                "m2", Verb.VERB_SLEEP, 0, deadline + Duration.ofMillis(1).toNanos());
        fixture.time.advance(Duration.ofMillis(100).plusNanos(1)); // past the first deadline, not the third
        driver.behaviour.set(FakeDriver.Behaviour.ONLINE);
        driver.releaseHang();

        CommandOutcome expired = late.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(expired.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(expired.reason()).isEqualTo("expired");
        assertThat(inTime.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).status())
                .isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(notYet.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).status())
                .isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        // The lane's pending poll of m2 runs right after the last command: wait for it, then check order.
        awaitTrue(() -> driver.probe.requests.size() >= 4);
        assertThat(driver.probe.requests)
                .as("only the commands still in time reached the bus")
                .containsExactly("m1:poll", "m2:VERB_WAKE", "m2:VERB_SLEEP", "m2:poll");
    }
}
