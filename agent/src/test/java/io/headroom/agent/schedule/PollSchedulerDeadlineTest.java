package io.headroom.agent.schedule;

import io.headroom.profiles.FirmwareProfile;
import io.headroom.agent.TestDevices;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A set-point that expired while queued behind a hung poll must never reach the device. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PollSchedulerDeadlineTest {
    private static final FirmwareProfile PROFILE = TestDevices.profile("luxor/luxos");

    @Test
    void commandQueuedPastItsDeadline_rejectedExpired_deviceUntouched() throws Exception {
        FakeDriver driver = new FakeDriver(FakeDriver.Behaviour.HANG);
        Duration interval = Duration.ofMillis(50);
        DeviceConfig config = TestDevices.cgminer("m1", PROFILE.id(), "127.0.0.1", 4028, interval, interval);
        try (PollScheduler scheduler = new PollScheduler(List.of(new ScheduledDevice(config, PROFILE, driver)),
                (id, result) -> { }, Clock.systemUTC(), new SimpleMeterRegistry())) {
            scheduler.start();
            assertThat(driver.hanging.await(10, TimeUnit.SECONDS)).as("poll is hanging").isTrue();

            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            CompletableFuture<CommandOutcome> late = scheduler.execute("m1", Verb.VERB_SLEEP, 0, deadline);
            CompletableFuture<CommandOutcome> inTime = scheduler.execute("m1", Verb.VERB_WAKE, 0, Long.MAX_VALUE);
            // Hold the poll until the first command's deadline has certainly passed, then let go.
            CountDownLatch pastDeadline = new CountDownLatch(1);
            while (System.nanoTime() - deadline <= 0) {
                pastDeadline.await(10, TimeUnit.MILLISECONDS);
            }
            driver.release.countDown();

            CommandOutcome expired = late.get(10, TimeUnit.SECONDS);
            assertThat(expired.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
            assertThat(expired.reason()).isEqualTo("expired");
            assertThat(inTime.get(10, TimeUnit.SECONDS).status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
            assertThat(driver.commands.get()).as("only the command still in time reached the driver").isEqualTo(1);
        }
    }
}
