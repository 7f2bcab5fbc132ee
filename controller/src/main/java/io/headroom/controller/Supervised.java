package io.headroom.controller;

import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic tasks and threads of the controller that must not die silently (issue 9). A task that
 * throws a {@link RuntimeException} is logged and runs again at its next turn; an {@link Error} is
 * logged and handed to the {@link FatalErrorHandler} (a scheduled executor would otherwise cancel
 * the task quietly, which is how the heartbeat stopped). Threads made here hand any uncaught
 * throwable to the handler too.
 */
final class Supervised {
    private static final Logger LOGGER = LoggerFactory.getLogger(Supervised.class);

    private Supervised() {}

    /** {@code task}, guarded: it survives its exceptions, and an Error is fatal. */
    static Runnable task(String what, Runnable task, FatalErrorHandler fatal) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOGGER.error("{} failed; will run again", what, e);
            } catch (Error e) {
                LOGGER.error("{} failed with an error; the controller cannot go on without it", what, e);
                fatal.fatal(what, e);
            }
        };
    }

    /** Daemon threads named {@code name}; an uncaught throwable in one goes to {@code fatal}. */
    static ThreadFactory threads(String name, FatalErrorHandler fatal) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> {
                LOGGER.error("thread {} died", t.getName(), e);
                fatal.fatal("thread " + t.getName(), e);
            });
            return thread;
        };
    }
}
