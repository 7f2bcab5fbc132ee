package io.headroom.agent.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link Driver} guarantees, whatever its protocol. A driver package's test extends
 * this and supplies drivers talking to devices in the named states (STYLE.md §C checklist).
 */
@Timeout(30)
public abstract class DriverContractTest {

    private final List<Driver> drivers = new ArrayList<>();

    /** The per-request timeout the subclass configured its drivers with. */
    protected abstract Duration deviceTimeout();

    /** A driver for a device that answers every read correctly. */
    protected abstract Driver healthyDriver() throws Exception;

    /** A driver for a device that accepts connections and never answers. */
    protected abstract Driver hangingDriver() throws Exception;

    /** Returns once the hanging device of the last {@link #hangingDriver()} has received a request. */
    protected abstract void awaitHangingRequest() throws Exception;

    /** A driver for an address where nothing listens. */
    protected abstract Driver refusingDriver() throws Exception;

    /** A driver for a device that answers some reads and fails the others. */
    protected abstract Driver partlyFailingDriver() throws Exception;

    /** Drivers for devices that answer with assorted garbage. */
    protected abstract List<Driver> garbageDrivers() throws Exception;

    /** Registers a driver for closing after the test. */
    protected final Driver track(Driver driver) {
        drivers.add(driver);
        return driver;
    }

    @AfterEach
    void closeDrivers() {
        drivers.forEach(Driver::close);
    }

    @Test
    void poll_healthyDevice_isOnlineWithReadings() throws Exception {
        PollResult result = healthyDriver().poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.reason()).isEmpty();
        assertThat(result.readings()).isNotEmpty();
    }

    @Test
    void close_twice_isHarmless() throws Exception {
        Driver driver = healthyDriver();
        driver.close();
        assertThatCode(driver::close).doesNotThrowAnyException();
    }

    @Test
    void poll_afterClose_isOfflineClosed() throws Exception {
        Driver driver = healthyDriver();
        driver.close();

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("closed");
    }

    @Test
    void execute_afterClose_failsWithoutThrowing() throws Exception {
        Driver driver = healthyDriver();
        driver.close();

        CommandOutcome outcome = driver.execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).isIn(ResultStatus.RESULT_STATUS_FAILED, ResultStatus.RESULT_STATUS_REJECTED);
    }

    @Test
    void poll_hangingDevice_isOfflineTimeoutWithinOneTimeout() throws Exception {
        Driver driver = hangingDriver();
        long start = System.nanoTime();

        PollResult result = driver.poll();

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("timeout");
        assertThat(took).isLessThan(deviceTimeout().multipliedBy(2));
    }

    @Test
    void close_duringHangingPoll_endsThePollPromptly() throws Exception {
        Driver driver = hangingDriver();
        CompletableFuture<PollResult> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return driver.poll();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitHangingRequest();

        driver.close();

        PollResult result = poll.get(deviceTimeout().toMillis() / 2 + 1000, TimeUnit.MILLISECONDS);
        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
    }

    @Test
    void poll_refusingDevice_isOfflineWithReason() throws Exception {
        PollResult result = refusingDriver().poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("connection-refused");
        assertThat(result.message()).isNotEmpty();
    }

    @Test
    void poll_partialFailure_isDegradedAndKeepsGoodReadings() throws Exception {
        PollResult healthy = healthyDriver().poll();

        PollResult partial = partlyFailingDriver().poll();

        assertThat(partial.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(partial.reason()).isNotEmpty();
        assertThat(partial.readings()).isNotEmpty();
        assertThat(healthy.readings()).containsAll(partial.readings());
    }

    @Test
    void poll_garbage_neverThrowsAndIsNotOnline() throws Exception {
        for (Driver driver : garbageDrivers()) {
            PollResult result = driver.poll();

            assertThat(result.health()).as(driver.toString()).isNotEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
            assertThat(result.reason()).as(driver.toString()).isNotEmpty();
        }
    }
}
