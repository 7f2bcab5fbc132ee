package io.headroom.cli;

import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until SIGINT/SIGTERM, then closes what it started, in order. */
final class Shutdown {
    private Shutdown() {}

    /** Blocks until the JVM is asked to stop; closes {@code resources} in the given order first. */
    static void awaitSignal(AutoCloseable... resources) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (AutoCloseable resource : resources) {
                                try {
                                    resource.close();
                                } catch (Exception e) {
                                    // Keep closing the rest; the JVM is exiting anyway.
                                }
                            }
                            closed.countDown();
                        },
                        "headroom-shutdown"));
        closed.await();
    }
}
