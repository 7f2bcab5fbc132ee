package io.headroom.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 9: a controller thread never dies silently; an Error reaches the fatal handler instead of the void. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SupervisedTest {
    private record Failure(String what, Throwable error) {}

    private final CompletableFuture<Failure> fatal = new CompletableFuture<>();
    private final FatalErrorHandler handler = (what, error) -> fatal.complete(new Failure(what, error));
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Supervised.threads("test-scheduler", handler));

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void taskThatThrowsAnException_isLogged_andRunsAgain_notFatal() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ranAgain = new CountDownLatch(3);
        scheduler.scheduleWithFixedDelay(
                Supervised.task(
                        "flaky",
                        () -> {
                            ranAgain.countDown();
                            if (runs.incrementAndGet() == 1) {
                                throw new IllegalStateException("first run fails");
                            }
                        },
                        handler),
                0,
                1,
                TimeUnit.MILLISECONDS);

        assertThat(ranAgain.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fatal).isNotDone();
    }

    @Test
    void taskThatThrowsAnError_invokesTheFatalHandler_withWhatFailed() throws Exception {
        OutOfMemoryError error = new OutOfMemoryError("Java heap space (test)");
        scheduler.scheduleWithFixedDelay(
                Supervised.task(
                        "state heartbeat",
                        () -> {
                            throw error;
                        },
                        handler),
                0,
                1,
                TimeUnit.MILLISECONDS);

        Failure failure = fatal.get(10, TimeUnit.SECONDS);
        assertThat(failure.what()).isEqualTo("state heartbeat");
        assertThat(failure.error()).isSameAs(error);
    }

    @Test
    void uncaughtThrowableInAControllerThread_invokesTheFatalHandler() throws Exception {
        Thread thread = Supervised.threads("headroom-test-thread", handler).newThread(() -> {
            throw new IllegalStateException("boom");
        });
        thread.start();

        Failure failure = fatal.get(10, TimeUnit.SECONDS);
        assertThat(failure.what()).isEqualTo("thread headroom-test-thread");
        assertThat(failure.error()).hasMessage("boom");
        assertThat(thread.isDaemon()).isTrue();
    }
}
