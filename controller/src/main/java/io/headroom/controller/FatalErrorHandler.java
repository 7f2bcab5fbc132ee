package io.headroom.controller;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a thread the controller owns meets an {@link Error} (an {@link OutOfMemoryError},
 * a {@link StackOverflowError}, ...) or dies of an uncaught exception (issue 9: the scheduler thread
 * died under memory pressure and the process ran on without its state heartbeat, so agents saw a
 * controller that looked alive). By default the process exits with status {@link #EXIT_STATUS};
 * systemd's {@code Restart=on-failure} starts it again, and a restart recovers from the journal.
 * Tests inject their own handler to see it called instead of losing their JVM.
 */
@FunctionalInterface
public interface FatalErrorHandler {
    /** The exit status of a controller that stopped itself after a fatal error (EX_SOFTWARE). */
    int EXIT_STATUS = 70;

    /** Exits the process: {@code System.exit} from a thread of its own, {@code halt} if shutdown hangs. */
    FatalErrorHandler EXIT = (what, error) -> {
        Logger logger = LoggerFactory.getLogger(FatalErrorHandler.class);
        logger.error("fatal: {} failed; the controller exits with status {} to be restarted", what, EXIT_STATUS, error);
        Thread exit = new Thread(() -> System.exit(EXIT_STATUS), "headroom-fatal-exit");
        exit.setDaemon(false);
        exit.start();
        Thread halt = new Thread(
                () -> {
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Runtime.getRuntime().halt(EXIT_STATUS); // shutdown hooks hung: stop anyway
                },
                "headroom-fatal-halt");
        halt.setDaemon(true);
        halt.start();
    };

    /**
     * Called once per fatal failure, on the failing thread.
     *
     * @param what the task or thread that failed, e.g. {@code state heartbeat}
     */
    void fatal(String what, Throwable error);
}
